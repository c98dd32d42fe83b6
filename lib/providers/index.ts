/**
 * The provider catalog: every integration Switchboard offers, described as data.
 * Pure TypeScript (Web APIs only), so it runs in Convex, in Next and in tests.
 */
export { catalog, providerIds, getProvider, getProviderOrThrow } from "./catalog";
export * from "./schema";
export {
  resolveEndpoints,
  rewriteUrlForSimulator,
  resolveApiBaseUrl,
  connectionApiBase,
  callApiBase,
  type EndpointOptions,
} from "./endpoints";
export { scopesParam, parseScopes, knownScopes } from "./scopes";
export { readPath, readAccount, type AccountReading } from "./account";
export { isLoopbackHost, isSecureOrLoopback } from "./urls";
export { hooksOf, PROVIDER_HOOKS, type ProviderHooks, type FieldCheck } from "./hooks";
export { JIRA_ACCESSIBLE_RESOURCES_PATH, jiraRestBase } from "./jira";
export { REDDIT_USER_AGENT, redditUserAgent } from "./reddit";
export {
  WORDPRESS_APP_PASSWORDS_GUIDE_URL,
  checkWordPressSiteUrl,
  normalizeApplicationPassword,
  type SiteUrlCheck,
} from "./wordpress";
export {
  CUSTOM_WEBHOOK_AUTH_MODES,
  customWebhookAuthHeaders,
  CustomWebhookConfigError,
  type CustomWebhookAuthMode,
} from "./custom-webhook";
