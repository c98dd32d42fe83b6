import type { ProviderInput } from "./schema";
import { JIRA_ACCESSIBLE_RESOURCES_PATH } from "./jira";
import { REDDIT_USER_AGENT } from "./reddit";
import { WORDPRESS_APP_PASSWORDS_GUIDE_URL } from "./wordpress";
import { CUSTOM_WEBHOOK_AUTH_MODES } from "./custom-webhook";

/*
 * The providers, as data. Comments cite sources by key ([N] Nango's providers.yaml,
 * [A] arctic 3.7.0, or a documentation URL); docs/providers.md explains the keys. A
 * trailing "(?)" marks a value we could not confirm from a primary source; the
 * simulator plays it as written.
 */

const GOOGLE_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
// Revoking the refresh token ends the whole grant [A:google].
const GOOGLE_REVOKE = {
  url: "https://oauth2.googleapis.com/revoke",
  method: "POST",
  clientAuth: "none",
  tokenIn: "form",
  token: "refresh_token",
} as const;
// Without both, Google issues a refresh token only on the first consent [N].
const GOOGLE_AUTHORIZE_PARAMS = { access_type: "offline", prompt: "consent", include_granted_scopes: "true" };
/**
 * What Gmail and Google Calendar share: Google's OAuth endpoints, revocation and
 * refresh behaviour. Each is still its own connection with its own OAuth client
 * variables (GMAIL_CLIENT_ID, GOOGLE_CALENDAR_CLIENT_ID), which may name one Google app.
 */
const GOOGLE_OAUTH = {
  authKind: "oauth2",
  authorizeUrl: GOOGLE_AUTHORIZE_URL,
  tokenUrl: GOOGLE_TOKEN_URL,
  revoke: GOOGLE_REVOKE,
  scopeSeparator: " ",
  pkce: true,
  tokenEndpointAuth: "body",
  authorizeParams: GOOGLE_AUTHORIZE_PARAMS,
  refresh: { supported: true, rotation: "none" },
  accessTokenLifetimeSeconds: 3_599,
  // RFC 9207: Google's discovery document has authorization_response_iss_parameter_supported,
  // and its issuer is https://accounts.google.com [https://developers.google.com/identity/openid-connect/reference].
  // Whether every authorization response, errors included, carries iss is not confirmed (?), so
  // a response without one is not refused.
  issuer: { value: "https://accounts.google.com", alwaysSent: false },
} as const;
const GOOGLE_SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;

export const providerEntries = [
  {
    id: "slack",
    displayName: "Slack",
    description: "Post messages and read channels in a Slack workspace.",
    category: "communication",
    logo: "/providers/slack.svg",
    docsUrl: "https://docs.slack.dev/authentication/installing-with-oauth",
    authKind: "oauth2",
    authorizeUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    revoke: { url: "https://slack.com/api/auth.revoke", method: "POST", clientAuth: "none", tokenIn: "bearer" },
    apiBaseUrl: "https://slack.com/api",
    // Bot scopes; user scopes would go in a separate `user_scope` parameter.
    defaultScopes: ["chat:write", "channels:read"],
    optionalScopes: [
      { scope: "chat:write.public", description: "Post to public channels the app is not a member of." },
      { scope: "channels:history", description: "Read messages in public channels the app is in." },
      { scope: "groups:read", description: "List private channels the app is in." },
      { scope: "users:read", description: "See people in the workspace." },
      { scope: "users:read.email", description: "See people's email addresses." },
      { scope: "im:write", description: "Start direct messages with people." },
      { scope: "reactions:write", description: "Add emoji reactions to messages." },
    ],
    scopeSeparator: ",",
    // Slack supports PKCE, but enabling it marks the app as a public client, one way (only Slack
    // support can undo it), and every refresh token it is issued then expires after 30 days
    // [https://docs.slack.dev/authentication/using-pkce]; Nango disables it [N].
    pkce: false,
    // Slack recommends HTTP Basic at oauth.v2.access; body credentials also work.
    tokenEndpointAuth: "basic",
    refresh: {
      supported: true,
      rotation: "single_use",
      optIn: "Token rotation (app settings → OAuth & Permissions); without it tokens never expire.",
    },
    accessTokenLifetimeSeconds: 43_200,
    // oauth.v2.access answers token_type "bot" for the bot token it issues.
    tokenTypes: ["bot", "user"],
    tokenResponseFields: ["team.id", "team.name", "bot_user_id", "app_id", "authed_user.id"],
    errorStyle: "slack_ok_false",
    test: {
      method: "POST",
      path: "/auth.test",
      account: { idPath: "team_id", namePath: "team", successPath: "ok" },
    },
  },
  {
    id: "github",
    displayName: "GitHub",
    description: "Create issues and read repositories on GitHub.",
    category: "engineering",
    logo: "/providers/github.svg",
    docsUrl: "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
    authKind: "oauth2",
    authorizeUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    // One token: DELETE /applications/{client_id}/token, Basic client auth, JSON {access_token} (?).
    revoke: {
      url: "https://api.github.com/applications/{client_id}/token",
      method: "DELETE",
      clientAuth: "basic",
      tokenIn: "json",
      tokenField: "access_token",
    },
    apiBaseUrl: "https://api.github.com",
    defaultHeaders: {
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      "User-Agent": "Switchboard",
    },
    defaultScopes: ["read:user", "repo"],
    optionalScopes: [
      { scope: "public_repo", description: "Read and write public repositories only (instead of repo)." },
      { scope: "read:org", description: "Read organization membership and teams." },
      { scope: "user:email", description: "Read the user's email addresses." },
      { scope: "workflow", description: "Update GitHub Actions workflow files." },
      // "Limits access to public repositories" [https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps];
      // github.create_issue, comment_on_issue and put_file take it instead of repo.
      { scope: "public_repo", description: "Write to public repositories only (issues, comments, files); repo covers private ones too." },
      { scope: "admin:repo_hook", description: "Manage repository webhooks." },
      // Organization webhooks (webhook subscriptions on org:<name>) [docs.github.com/rest/orgs/webhooks].
      { scope: "admin:org_hook", description: "Manage organization webhooks." },
      { scope: "gist", description: "Create gists." },
    ],
    scopeSeparator: " ",
    // S256 only; a verifier is required once a challenge was sent.
    pkce: true,
    tokenEndpointAuth: "body",
    // Without it GitHub answers form-encoded.
    tokenRequestHeaders: { Accept: "application/json" },
    refresh: {
      supported: true,
      rotation: "single_use",
      optIn: "Expiring user tokens (on by default for GitHub Apps); classic OAuth tokens never expire.",
    },
    accessTokenLifetimeSeconds: 28_800,
    tokenResponseFields: ["scope"],
    errorStyle: "github_200_error",
    test: { method: "GET", path: "/user", account: { idPath: "id", namePath: "login" } },
  },
  {
    id: "notion",
    displayName: "Notion",
    description: "Read and write pages and databases shared with Switchboard in Notion.",
    category: "productivity",
    logo: "/providers/notion.svg",
    docsUrl: "https://developers.notion.com/docs/authorization",
    authKind: "oauth2",
    authorizeUrl: "https://api.notion.com/v1/oauth/authorize",
    tokenUrl: "https://api.notion.com/v1/oauth/token",
    revoke: { url: "https://api.notion.com/v1/oauth/revoke", method: "POST", clientAuth: "basic", tokenIn: "json" },
    apiBaseUrl: "https://api.notion.com",
    defaultHeaders: { "Notion-Version": "2025-09-03" },
    // Notion has no scope parameter: access is what the user shares on the consent page.
    defaultScopes: [],
    scopeSeparator: " ",
    // Public connections document no code_challenge on authorize and no code_verifier at the
    // token endpoint [https://developers.notion.com/reference/create-a-token]. Nango sends a
    // challenge anyway [N], so one is tolerated, not known to be checked. (PKCE on
    // mcp.notion.com belongs to Notion's MCP server, another authorization server.)
    pkce: false,
    tokenEndpointAuth: "basic",
    tokenRequestFormat: "json",
    authorizeParams: { owner: "user" },
    // Rotation and access lifetime are undocumented (?); play it safe: store every new refresh token.
    refresh: { supported: true, rotation: "single_use" },
    accessTokenLifetimeSeconds: null,
    tokenResponseFields: ["workspace_id", "workspace_name", "bot_id", "owner.user.id"],
    test: { method: "GET", path: "/v1/users/me", account: { idPath: "id", namePath: "bot.workspace_name" } },
  },
  {
    id: "gmail",
    displayName: "Gmail",
    description: "Send and read email from a Gmail or Google Workspace mailbox.",
    category: "email",
    logo: "/providers/gmail.svg",
    docsUrl: "https://developers.google.com/gmail/api/auth/scopes",
    ...GOOGLE_OAUTH,
    apiBaseUrl: "https://gmail.googleapis.com",
    // gmail.readonly is restricted (Google verification); it is the narrowest scope that can read the profile.
    defaultScopes: [GOOGLE_SCOPE("gmail.send"), GOOGLE_SCOPE("gmail.readonly")],
    optionalScopes: [
      { scope: GOOGLE_SCOPE("gmail.compose"), description: "Create drafts and send them (restricted)." },
      { scope: GOOGLE_SCOPE("gmail.modify"), description: "Read, label and archive messages (restricted)." },
      { scope: GOOGLE_SCOPE("gmail.labels"), description: "Create and edit labels." },
    ],
    test: {
      method: "GET",
      path: "/gmail/v1/users/me/profile",
      account: { idPath: "emailAddress", namePath: "emailAddress" },
    },
  },
  {
    id: "google-calendar",
    displayName: "Google Calendar",
    description: "Read calendars and create events in Google Calendar.",
    category: "calendar",
    logo: "/providers/google-calendar.svg",
    docsUrl: "https://developers.google.com/workspace/calendar/api/auth",
    ...GOOGLE_OAUTH,
    apiBaseUrl: "https://www.googleapis.com",
    defaultScopes: [GOOGLE_SCOPE("calendar.readonly"), GOOGLE_SCOPE("calendar.events")],
    optionalScopes: [
      { scope: GOOGLE_SCOPE("calendar"), description: "Full access to every calendar, including sharing." },
      { scope: GOOGLE_SCOPE("calendar.settings.readonly"), description: "Read calendar settings." },
    ],
    test: {
      method: "GET",
      path: "/calendar/v3/calendars/primary",
      account: { idPath: "id", namePath: "summary" },
    },
  },
  {
    id: "microsoft",
    displayName: "Microsoft 365",
    description: "Outlook mail and calendar, and Teams messages, through Microsoft Graph.",
    category: "productivity",
    logo: "/providers/microsoft.svg",
    docsUrl: "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow",
    authKind: "oauth2",
    // `common` accepts work, school and personal accounts [N].
    authorizeUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    tokenUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    apiBaseUrl: "https://graph.microsoft.com",
    // offline_access is what brings a refresh token.
    defaultScopes: ["offline_access", "User.Read"],
    optionalScopes: [
      { scope: "Mail.Read", description: "Read Outlook mail." },
      { scope: "Mail.Send", description: "Send Outlook mail as the user." },
      { scope: "Calendars.ReadWrite", description: "Read and write Outlook calendars." },
      { scope: "Team.ReadBasic.All", description: "List the Teams the user belongs to." },
      { scope: "Channel.ReadBasic.All", description: "List channels in those Teams." },
      { scope: "ChannelMessage.Send", description: "Post messages to Teams channels." },
      { scope: "Chat.ReadWrite", description: "Read and send Teams chat messages." },
    ],
    scopeSeparator: " ",
    pkce: true,
    tokenEndpointAuth: "body",
    authorizeParams: { response_mode: "query" },
    // Each refresh returns a new refresh token; the old one is not revoked.
    refresh: { supported: true, rotation: "reissued" },
    accessTokenLifetimeSeconds: 3_600,
    test: { method: "GET", path: "/v1.0/me", account: { idPath: "id", namePath: "displayName" } },
  },
  {
    id: "linear",
    displayName: "Linear",
    description: "Create and update issues in a Linear workspace.",
    category: "engineering",
    logo: "/providers/linear.svg",
    docsUrl: "https://linear.app/developers/oauth-2-0-authentication",
    authKind: "oauth2",
    authorizeUrl: "https://linear.app/oauth/authorize",
    tokenUrl: "https://api.linear.app/oauth/token",
    // Token in the Authorization header (?).
    revoke: { url: "https://api.linear.app/oauth/revoke", method: "POST", clientAuth: "none", tokenIn: "bearer" },
    apiBaseUrl: "https://api.linear.app",
    defaultScopes: ["read", "write"],
    optionalScopes: [
      { scope: "issues:create", description: "Create issues and their attachments." },
      { scope: "comments:create", description: "Create issue comments." },
      { scope: "timeSchedule:write", description: "Create and change time schedules." },
      // "Only workspace admins, or OAuth applications with the admin scope, can create or read webhooks" [linear.app/developers/webhooks].
      { scope: "admin", description: "Create and delete webhooks (webhook subscriptions)." },
    ],
    scopeSeparator: ",",
    pkce: true,
    tokenEndpointAuth: "body",
    // Lets an admin connect a second workspace instead of silently reusing the first grant.
    authorizeParams: { prompt: "consent" },
    // Refresh tokens are mandatory since 2026-04-01; lifetime ~24 h and rotation are unconfirmed (?).
    refresh: { supported: true, rotation: "single_use" },
    accessTokenLifetimeSeconds: 86_399,
    test: {
      method: "POST",
      path: "/graphql",
      body: { query: "query { viewer { id name } organization { id name } }" },
      account: { idPath: "data.organization.id", namePath: "data.organization.name" },
    },
  },
  {
    id: "jira",
    displayName: "Jira",
    description: "Create and search issues in Jira Cloud sites.",
    category: "engineering",
    logo: "/providers/jira.svg",
    docsUrl: "https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/",
    authKind: "oauth2",
    authorizeUrl: "https://auth.atlassian.com/authorize",
    tokenUrl: "https://auth.atlassian.com/oauth/token",
    // No per-token revocation endpoint (?): users remove the app from their Atlassian account.
    apiBaseUrl: "https://api.atlassian.com",
    defaultScopes: ["read:jira-work", "write:jira-work", "read:jira-user", "offline_access"],
    optionalScopes: [
      { scope: "manage:jira-webhook", description: "Register webhooks for issue changes." },
      { scope: "manage:jira-project", description: "Create and edit projects." },
      { scope: "read:me", description: "Read the connecting user's Atlassian profile." },
    ],
    scopeSeparator: " ",
    // The authorization URL's documented parameters have no code_challenge
    // [https://developer.atlassian.com/cloud/oauth/getting-started/implementing-oauth-3lo];
    // Nango sends one [N], so it is tolerated, but nothing says it is checked.
    pkce: false,
    tokenEndpointAuth: "body",
    authorizeParams: { audience: "api.atlassian.com", prompt: "consent" },
    refresh: { supported: true, rotation: "single_use" },
    accessTokenLifetimeSeconds: 3_600,
    // The account is the site: its cloud id picks the REST base (see jira.ts).
    test: { method: "GET", path: JIRA_ACCESSIBLE_RESOURCES_PATH, account: { idPath: "0.id", namePath: "0.name" } },
  },
  {
    id: "asana",
    displayName: "Asana",
    description: "Create tasks and read projects in Asana.",
    category: "productivity",
    logo: "/providers/asana.svg",
    docsUrl: "https://developers.asana.com/docs/oauth",
    authKind: "oauth2",
    authorizeUrl: "https://app.asana.com/-/oauth_authorize",
    tokenUrl: "https://app.asana.com/-/oauth_token",
    // Revoking the refresh token ends the grant.
    revoke: {
      url: "https://app.asana.com/-/oauth_revoke",
      method: "POST",
      clientAuth: "body",
      tokenIn: "form",
      token: "refresh_token",
    },
    apiBaseUrl: "https://app.asana.com/api/1.0",
    defaultScopes: ["default"],
    scopeSeparator: " ",
    pkce: true,
    tokenEndpointAuth: "body",
    // Access 1 h; refresh tokens are long-lived and do not rotate (?).
    refresh: { supported: true, rotation: "none" },
    accessTokenLifetimeSeconds: 3_600,
    test: { method: "GET", path: "/users/me", account: { idPath: "data.gid", namePath: "data.name" } },
  },
  {
    id: "zoom",
    displayName: "Zoom",
    description: "Schedule meetings and read recordings in Zoom.",
    category: "communication",
    logo: "/providers/zoom.svg",
    docsUrl: "https://developers.zoom.us/docs/integrations/oauth/",
    authKind: "oauth2",
    authorizeUrl: "https://zoom.us/oauth/authorize",
    tokenUrl: "https://zoom.us/oauth/token",
    // Zoom lists revocation among its OAuth endpoints [https://developers.zoom.us/docs/rooms/oauth/];
    // its API collection's "Revoke an access token" sends Basic client auth and a form
    // `token=<access token>` (read in a copy at developers.qodex.ai/zoom-public), and says nothing
    // of refresh tokens. That revocation uninstalls the app and runs its deauthorization flow, so
    // the whole grant ends, refresh token included, as Zoom staff answer on the forum (?)
    // [https://devforum.zoom.us/t/zoom-api-how-to-revoke-app-access-when-user-wants-to-disconnect-your-app-and-zoom-app/18432].
    revoke: {
      url: "https://zoom.us/oauth/revoke",
      method: "POST",
      clientAuth: "basic",
      tokenIn: "form",
      token: "access_token",
    },
    apiBaseUrl: "https://api.zoom.us/v2",
    // Granular scopes; Nango says "," but Zoom's forum shows space-separated requests (?).
    defaultScopes: ["user:read:user"],
    optionalScopes: [
      { scope: "meeting:write:meeting", description: "Create meetings for the user." },
      { scope: "meeting:write", description: "Create meetings for the user (classic scope of apps made before granular scopes)." },
      { scope: "meeting:read:list_meetings", description: "List the user's meetings." },
      { scope: "cloud_recording:read:list_user_recordings", description: "List the user's cloud recordings." },
    ],
    scopeSeparator: " ",
    pkce: true,
    tokenEndpointAuth: "basic",
    // Refresh tokens rotate: the old one stops working (?).
    refresh: { supported: true, rotation: "single_use" },
    accessTokenLifetimeSeconds: 3_600,
    test: { method: "GET", path: "/users/me", account: { idPath: "id", namePath: "display_name" } },
  },
  {
    id: "salesforce",
    displayName: "Salesforce",
    description: "Read and update CRM records in a Salesforce org.",
    category: "crm",
    logo: "/providers/salesforce.svg",
    docsUrl: "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm",
    authKind: "oauth2",
    authorizeUrl: "https://login.salesforce.com/services/oauth2/authorize",
    tokenUrl: "https://login.salesforce.com/services/oauth2/token",
    revoke: {
      url: "https://login.salesforce.com/services/oauth2/revoke",
      method: "POST",
      clientAuth: "none",
      tokenIn: "form",
      token: "refresh_token",
    },
    // Per org; see salesforce.ts.
    apiBaseFrom: "token_response.instance_url",
    defaultScopes: ["api", "id", "refresh_token"],
    optionalScopes: [
      { scope: "chatter_api", description: "Use the Chatter REST API." },
      { scope: "openid", description: "Receive an OpenID Connect ID token." },
    ],
    scopeSeparator: " ",
    pkce: true,
    tokenEndpointAuth: "body",
    authorizeParams: { prompt: "consent" },
    // Rotation is an opt-in connected-app setting; off by default.
    refresh: { supported: true, rotation: "none" },
    // The token response has no expires_in: the session lasts until the org's timeout.
    accessTokenLifetimeSeconds: null,
    tokenResponseFields: ["instance_url", "id", "issued_at"],
    test: {
      method: "GET",
      path: "/services/oauth2/userinfo",
      account: { idPath: "user_id", namePath: "name" },
    },
  },
  {
    id: "reddit",
    displayName: "Reddit",
    description: "Submit posts and read subreddits on Reddit.",
    category: "social",
    logo: "/providers/reddit.svg",
    docsUrl: "https://github.com/reddit-archive/reddit/wiki/OAuth2",
    authKind: "oauth2",
    authorizeUrl: "https://www.reddit.com/api/v1/authorize",
    tokenUrl: "https://www.reddit.com/api/v1/access_token",
    revoke: {
      url: "https://www.reddit.com/api/v1/revoke_token",
      method: "POST",
      clientAuth: "basic",
      tokenIn: "form",
      token: "refresh_token",
      extraParams: { token_type_hint: "refresh_token" },
    },
    // API calls go to oauth.reddit.com, not www.
    apiBaseUrl: "https://oauth.reddit.com",
    defaultHeaders: { "User-Agent": REDDIT_USER_AGENT },
    defaultScopes: ["identity"],
    optionalScopes: [
      { scope: "read", description: "Read posts and comments." },
      { scope: "submit", description: "Submit links and comments." },
      { scope: "mysubreddits", description: "List the subreddits the user belongs to." },
      { scope: "privatemessages", description: "Read and send private messages." },
    ],
    // Older docs ask for commas; arctic and PRAW send spaces, which Reddit accepts (?).
    scopeSeparator: " ",
    // The authorize and token parameters Reddit documents have no PKCE
    // [https://github.com/reddit-archive/reddit/wiki/OAuth2]; Nango's challenge [N] is ignored at best.
    pkce: false,
    tokenEndpointAuth: "basic",
    tokenRequestHeaders: { "User-Agent": REDDIT_USER_AGENT },
    // Without duration=permanent there is no refresh token.
    authorizeParams: { duration: "permanent" },
    refresh: { supported: true, rotation: "none" },
    accessTokenLifetimeSeconds: 3_600,
    test: { method: "GET", path: "/api/v1/me", account: { idPath: "id", namePath: "name" } },
  },
  {
    id: "linkedin",
    displayName: "LinkedIn",
    description: "Share posts on LinkedIn as the connected member.",
    category: "social",
    logo: "/providers/linkedin.svg",
    docsUrl: "https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2",
    authKind: "oauth2",
    authorizeUrl: "https://www.linkedin.com/oauth/v2/authorization",
    tokenUrl: "https://www.linkedin.com/oauth/v2/accessToken",
    // (?)
    revoke: { url: "https://www.linkedin.com/oauth/v2/revoke", method: "POST", clientAuth: "body", tokenIn: "form" },
    apiBaseUrl: "https://api.linkedin.com",
    defaultScopes: ["openid", "profile", "email"],
    optionalScopes: [{ scope: "w_member_social", description: "Post, comment and react as the member." }],
    scopeSeparator: " ",
    // LinkedIn's PKCE flow is for native apps only: loopback redirect URIs, enabled per app by
    // LinkedIn on request [https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow-native];
    // Nango disables PKCE [N].
    pkce: false,
    // LinkedIn does not accept HTTP Basic at the token endpoint [A].
    tokenEndpointAuth: "body",
    // Programmatic refresh tokens are for approved partners only; members reconnect after 60 days.
    refresh: { supported: false },
    accessTokenLifetimeSeconds: 5_184_000,
    test: { method: "GET", path: "/v2/userinfo", account: { idPath: "sub", namePath: "name" } },
  },
  {
    id: "trello",
    displayName: "Trello",
    description: "Create cards and read boards in Trello.",
    category: "productivity",
    logo: "/providers/trello.svg",
    docsUrl: "https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/",
    authKind: "api_key",
    apiBaseUrl: "https://api.trello.com",
    // Trello authenticates with `key` and `token` query parameters; logs must redact them.
    placement: [
      { in: "query", name: "key", field: "apiKey" },
      { in: "query", name: "token", field: "token" },
    ],
    fields: [
      {
        name: "apiKey",
        label: "API key",
        type: "text",
        placeholder: "32 hexadecimal characters",
        help: "From your Trello Power-Up's API key page.",
        helpUrl: "https://trello.com/power-ups/admin",
        required: true,
        secret: false,
      },
      {
        name: "token",
        label: "User token",
        type: "password",
        help: "Generate it from the API key page with the “Token” link, then paste it here.",
        helpUrl: "https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/",
        required: true,
        secret: true,
      },
      // Trello signs webhook deliveries with the Power-Up's secret (X-Trello-Webhook)
      // [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures].
      {
        name: "webhookSecret",
        label: "Secret (for webhooks)",
        type: "password",
        help: "The Secret shown under the API key; needed only to receive Trello webhooks.",
        helpUrl: "https://trello.com/power-ups/admin",
        required: false,
        secret: true,
      },
    ],
    test: { method: "GET", path: "/1/members/me", account: { idPath: "id", namePath: "username" } },
  },
  {
    id: "wordpress",
    displayName: "WordPress",
    description: "Publish posts to a self-hosted WordPress site with an application password.",
    category: "cms",
    logo: "/providers/wordpress.svg",
    docsUrl: WORDPRESS_APP_PASSWORDS_GUIDE_URL,
    authKind: "basic",
    apiBaseFrom: "credentials.siteUrl",
    apiBasePath: "/wp-json",
    basicAuth: { usernameField: "username", passwordField: "applicationPassword" },
    fields: [
      {
        name: "siteUrl",
        label: "Site URL",
        type: "url",
        placeholder: "https://blog.example.com",
        help: "The address of your WordPress site. HTTPS is required (except for localhost).",
        required: true,
        secret: false,
      },
      {
        name: "username",
        label: "Username",
        type: "text",
        placeholder: "editor",
        help: "The WordPress user the posts will be published as.",
        required: true,
        secret: false,
      },
      {
        name: "applicationPassword",
        label: "Application password",
        type: "password",
        placeholder: "abcd efgh ijkl mnop qrst uvwx",
        help: "Create one under Users → Profile → Application Passwords. It is not your login password.",
        helpUrl: WORDPRESS_APP_PASSWORDS_GUIDE_URL,
        required: true,
        secret: true,
      },
    ],
    test: { method: "GET", path: "/wp/v2/users/me?context=edit", account: { idPath: "id", namePath: "name" } },
  },
  {
    id: "pumble",
    displayName: "Pumble",
    description: "Post messages to a Pumble channel through an incoming webhook.",
    category: "communication",
    logo: "/providers/pumble.svg",
    docsUrl: "https://pumble.com/help/integrations/add-pumble-apps/incoming-webhooks-for-pumble",
    authKind: "webhook_url",
    fields: [
      {
        name: "webhookUrl",
        label: "Incoming webhook URL",
        type: "url",
        placeholder: "https://api.pumble.com/workspaces/…/incomingWebhooks/postMessage/…",
        help: "Workspace settings → Incoming Webhooks → New Webhook, then copy its URL.",
        helpUrl: "https://pumble.com/help/integrations/add-pumble-apps/incoming-webhooks-for-pumble",
        required: true,
        // The URL is the credential: anyone holding it can post to the channel.
        secret: true,
      },
    ],
    webhook: {
      urlField: "webhookUrl",
      defaultMethod: "POST",
      allowedUrlPrefixes: ["https://api.pumble.com/workspaces/"],
      samplePayload: { text: "Switchboard is connected to this channel." },
    },
  },
  {
    id: "custom-webhook",
    displayName: "Custom webhook",
    description: "Send JSON to any HTTPS endpoint you control.",
    category: "webhooks",
    logo: "/providers/custom-webhook.svg",
    authKind: "webhook_url",
    fields: [
      {
        name: "url",
        label: "Endpoint URL",
        type: "url",
        placeholder: "https://hooks.example.com/switchboard",
        required: true,
        secret: true,
      },
      {
        name: "method",
        label: "Method",
        type: "select",
        options: [
          { value: "POST", label: "POST" },
          { value: "PUT", label: "PUT" },
          { value: "PATCH", label: "PATCH" },
        ],
        required: true,
        secret: false,
      },
      {
        name: "authMode",
        label: "Authentication",
        type: "select",
        options: CUSTOM_WEBHOOK_AUTH_MODES.map((mode) => ({
          value: mode,
          label: { none: "None", header: "API key header", bearer: "Bearer token", basic: "Basic auth" }[mode],
        })),
        required: true,
        secret: false,
      },
      {
        name: "headerName",
        label: "Header name",
        type: "text",
        placeholder: "X-Api-Key",
        required: true,
        secret: false,
        visibleWhen: { field: "authMode", in: ["header"] },
      },
      {
        name: "headerValue",
        label: "Header value",
        type: "password",
        required: true,
        secret: true,
        visibleWhen: { field: "authMode", in: ["header"] },
      },
      {
        name: "bearerToken",
        label: "Bearer token",
        type: "password",
        required: true,
        secret: true,
        visibleWhen: { field: "authMode", in: ["bearer"] },
      },
      {
        name: "basicUsername",
        label: "Username",
        type: "text",
        required: true,
        secret: false,
        visibleWhen: { field: "authMode", in: ["basic"] },
      },
      {
        name: "basicPassword",
        label: "Password",
        type: "password",
        required: true,
        secret: true,
        visibleWhen: { field: "authMode", in: ["basic"] },
      },
    ],
    webhook: {
      urlField: "url",
      methodField: "method",
      defaultMethod: "POST",
      samplePayload: { type: "switchboard.test", message: "Switchboard can reach this endpoint." },
    },
  },
] satisfies ProviderInput[];
