/**
 * Provider behaviour that data cannot describe, as named hooks. Generic code asks
 * `hooksOf(provider)` and never tests a provider's id; a provider without behaviour
 * has no entry here. Each provider's hooks live in the file named after its id
 * (`jira.ts`, `slack.ts`, …), next to the rest of its quirks.
 */
import { customWebhookHooks } from "./custom-webhook";
import { jiraHooks } from "./jira";
import type { CredentialField, Provider } from "./schema";
import { slackHooks } from "./slack";
import { trelloHooks } from "./trello";
import { wordpressHooks } from "./wordpress";

export type FieldCheck = { ok: true; value: string } | { ok: false; message: string };

export type ProviderHooks = {
  /** Config to keep from the account the connect-time check found (Jira: the site's cloud id). */
  afterConnect?: (account: { id: string; name: string | null }) => Record<string, string>;
  /** The base API calls go under, from the connection's base and config (Jira: the site's REST base). */
  apiBase?: (base: string, config: Record<string, string>) => string;
  /** Normalizes one credential form value, or says what is wrong with it (WordPress's site URL and password). */
  credentialField?: (field: CredentialField, value: string) => FieldCheck;
  /** Headers a webhook delivery carries, from the connection's values (a custom webhook's auth mode). */
  webhookHeaders?: (values: Record<string, string>) => Record<string, string>;
  /**
   * Whether an answer refuses the credential, when the provider's rule differs from "a 401":
   * true (Slack's HTTP 200 `ok: false` with an auth error), false (Trello's 401 for a board
   * permission), or undefined to leave it to the status.
   */
  refusesCredential?: (answer: { status: number; body: string }) => boolean | undefined;
};

/** Hooks by provider id; every key must be a catalog id (tested). */
export const PROVIDER_HOOKS: Readonly<Record<string, ProviderHooks>> = {
  "custom-webhook": customWebhookHooks,
  jira: jiraHooks,
  slack: slackHooks,
  trello: trelloHooks,
  wordpress: wordpressHooks,
};

const NO_HOOKS: ProviderHooks = {};

/** The provider's hooks; an empty set when it has no behaviour of its own. */
export function hooksOf(provider: Pick<Provider, "id">): ProviderHooks {
  return Object.hasOwn(PROVIDER_HOOKS, provider.id) ? PROVIDER_HOOKS[provider.id]! : NO_HOOKS;
}
