/**
 * Which provider sends webhooks how: the scheme that signs them, whether they come to
 * one app-level URL (`/webhooks/<providerId>`, routed by the account id in the payload)
 * or to a URL per subscription (`/webhooks/<providerId>/<endpointId>`), where the
 * app-level secret is configured, and what an admin pastes where when the provider has
 * no API to register a webhook. Kept beside the schemes rather than in the provider
 * catalog (lib/providers/entries.ts) because only the inbound side reads it.
 */
import type { InboundSchemeId } from "./schemes";

export type InboundProvider = {
  scheme: InboundSchemeId;
  /**
   * App-level deliveries: one URL for the whole deployment, signed with one secret from
   * the deployment's environment, routed to every connection whose `accountId` is the
   * payload's account (a workspace installed in two organizations reaches both).
   */
  app?: { secretEnv: string; what: string };
  /** Per-endpoint URLs the admin pastes into the provider (no API to register them). */
  pasted?: { where: string; steps: readonly string[] };
  /** Per-endpoint URLs registered by API (convex/webhooks/inbound/subscriptions). */
  registered?: true;
};

export const INBOUND_PROVIDERS: Readonly<Record<string, InboundProvider>> = {
  // [api.slack.com/apis/events-api]: one Request URL per Slack app, signed with its signing secret.
  slack: {
    scheme: "slack",
    app: { secretEnv: "SLACK_SIGNING_SECRET", what: "the Slack app's signing secret (Basic Information → App Credentials)" },
    pasted: {
      where: "Slack app settings → Event Subscriptions",
      steps: [
        "Turn on Enable Events.",
        "Paste the URL into Request URL; Slack checks it at once (Verified).",
        "Under Subscribe to bot events, add the events you want (message.channels, app_mention, …).",
        "Save Changes. tokens_revoked and app_uninstalled are sent without subscribing.",
      ],
    },
  },
  // A GitHub App's one webhook URL, or a repository/organization hook per subscription.
  github: {
    scheme: "github",
    app: { secretEnv: "GITHUB_APP_WEBHOOK_SECRET", what: "the GitHub App's webhook secret" },
    registered: true,
  },
  // [developers.zoom.us/docs/api/webhooks]: one Event notification endpoint URL per Zoom app.
  zoom: {
    scheme: "zoom",
    app: { secretEnv: "ZOOM_WEBHOOK_SECRET_TOKEN", what: "the Zoom app's Secret Token (Feature → Event Subscriptions)" },
    pasted: {
      where: "Zoom App Marketplace → your app → Feature → Event Subscriptions",
      steps: [
        "Add an Event Subscription and paste the URL into Event notification endpoint URL.",
        "Click Validate; Zoom checks the URL at once.",
        "Add the events you want and Save.",
      ],
    },
  },
  // [developers.notion.com/reference/webhooks]: subscriptions are made in the integration's settings.
  notion: {
    scheme: "notion",
    pasted: {
      where: "Notion integration settings → Webhooks",
      steps: [
        "Create a subscription and paste the URL into Webhook URL.",
        "Notion sends a verification token to the URL; it appears here once.",
        "Copy the token from here, paste it into Notion's Verify dialog, and click Verify.",
      ],
    },
  },
  linear: { scheme: "linear", registered: true },
  asana: { scheme: "asana", registered: true },
  trello: { scheme: "trello", registered: true },
  // Dynamic webhooks the OAuth app registers (POST /rest/api/3/webhook) come with a bearer JWT
  // signed with the app's client secret (?); an admin webhook with a secret (X-Hub-Signature)
  // would be the `jira` scheme, which no endpoint is made with here yet.
  jira: { scheme: "jira_dynamic", registered: true },
  microsoft: { scheme: "microsoft_graph", registered: true },
  "google-calendar": { scheme: "google_calendar", registered: true },
  // [learn.microsoft.com/linkedin/shared/api-guide/webhook-validation]: one webhook URL per LinkedIn
  // app, validated by GET ?challengeCode= and signed, both with the app's client secret.
  linkedin: {
    scheme: "linkedin",
    app: { secretEnv: "LINKEDIN_CLIENT_SECRET", what: "the LinkedIn app's Client Secret (Auth tab), the same one it signs in with" },
    pasted: {
      where: "LinkedIn Developer Portal → your app → Webhooks (only for apps approved for webhooks)",
      steps: [
        "Paste the URL as the webhook URL; LinkedIn validates it at once (and again every few hours).",
        "Subscribe to the events your use case allows.",
      ],
    },
  },
  // Any other sender: the org creates an endpoint and gets its whsec_ secret [standardwebhooks.com].
  "custom-webhook": {
    scheme: "standard_webhooks",
    pasted: {
      where: "the sending system's webhook settings",
      steps: [
        "Paste the URL as the webhook's URL.",
        "Give the sender the whsec_ signing secret shown once when the endpoint was created.",
        "The sender signs with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature headers).",
      ],
    },
  },
};

/** The inbound side of a provider, or null when it sends no webhooks we take. */
export function inboundProvider(providerId: string): InboundProvider | null {
  return Object.hasOwn(INBOUND_PROVIDERS, providerId) ? INBOUND_PROVIDERS[providerId]! : null;
}

/**
 * A path under `/webhooks/`: `<providerId>` or `<providerId>/<endpointId>`, or null for
 * anything else (an unknown provider, an empty or extra segment, a malformed id).
 */
export function parseInboundPath(pathname: string): { providerId: string; endpointId: string | null } | null {
  const match = /^\/webhooks\/([a-z0-9-]{1,40})(?:\/(ie_[A-Za-z0-9_-]{22}))?\/?$/.exec(pathname);
  if (!match || inboundProvider(match[1]!) === null) return null;
  return { providerId: match[1]!, endpointId: match[2] ?? null };
}
