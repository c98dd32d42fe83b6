/**
 * How each provider signs the webhooks it sends us, and how a delivery is checked:
 * on the raw bytes, before anything parses them (a parser is attack surface, and
 * re-serialised JSON is not what was signed), with each scheme's clock tolerance as a
 * named constant. Pure: the HTTP action reads the request, finds the endpoint's secret
 * and calls `verifyDelivery`; nothing here touches the network or the database.
 *
 * Sources are cited per scheme; facts not confirmed by the provider's own reference are
 * marked (?).
 */
import { secretKeyBytes } from "../webhooks/signing";
import { concatBytes, constantTimeEqual, fromBase64, fromHex, hmacMatches, utf8Bytes, type HmacHash } from "./hmac";

/** One request as it arrived. */
export type InboundDelivery = {
  method: string;
  /** Header names in lowercase. */
  headers: Readonly<Record<string, string>>;
  /** The raw body, byte for byte. */
  body: Uint8Array;
  /** The URL the provider delivered to, exactly as it was registered there (Trello signs it). */
  url: string;
  /** When it arrived, in milliseconds since the epoch. */
  receivedAt: number;
};

/** Why a delivery was refused; what the endpoint's failure counter and the events page show. */
export const VERIFICATION_FAILURES = {
  missing_signature: "The request carries no signature.",
  malformed_signature: "The signature is not in the scheme's format.",
  bad_signature: "The signature does not match the body and the endpoint's secret.",
  missing_timestamp: "The request carries no timestamp.",
  stale_timestamp: "The request's timestamp is too far from now: an old delivery replayed, or a clock that is off.",
  malformed_body: "The body is not what the scheme signs or carries its token in.",
} as const;
export type VerificationFailure = keyof typeof VERIFICATION_FAILURES;

export type Verification = { ok: true } | { ok: false; reason: VerificationFailure };

const PASS: Verification = { ok: true };
const fail = (reason: VerificationFailure): Verification => ({ ok: false, reason });

/** Slack: requests older than five minutes are refused (Slack's own recommendation). */
export const SLACK_TIMESTAMP_TOLERANCE_S = 300;
/** Zoom signs a timestamp but documents no window; ours is Slack's five minutes (?). */
export const ZOOM_TIMESTAMP_TOLERANCE_S = 300;
/** Pumble signs a timestamp; its SDK checks no window, ours is five minutes. */
export const PUMBLE_TIMESTAMP_TOLERANCE_S = 300;
/** Linear puts `webhookTimestamp` (ms) in the signed body and suggests about a minute (?). */
export const LINEAR_TIMESTAMP_TOLERANCE_MS = 60_000;
/** LinkedIn's signature prefix (see the linkedin scheme). */
export const LINKEDIN_SIGNATURE_PREFIX = "hmacsha256=";
/** Standard Webhooks: the reference libraries refuse timestamps more than five minutes off. */
export const STANDARD_WEBHOOKS_TOLERANCE_S = 300;
/**
 * Jira's dynamic-webhook JWT: how far past its `exp` (and how far ahead of our clock its
 * `iat`) a token is still taken, for clock skew; Atlassian documents no window, a minute is ours (?).
 */
export const JIRA_JWT_CLOCK_TOLERANCE_S = 60;
/** The longest Authorization header read as a JWT; a real one is a few hundred bytes. */
export const JIRA_JWT_MAX_CHARS = 8_192;

export const INBOUND_SCHEME_IDS = [
  "github",
  "slack",
  "linear",
  "notion",
  "zoom",
  "asana",
  "trello",
  "jira",
  "jira_dynamic",
  "linkedin",
  "pumble",
  "microsoft_graph",
  "google_calendar",
  "standard_webhooks",
] as const;
export type InboundSchemeId = (typeof INBOUND_SCHEME_IDS)[number];

/** A signature header `<prefix><hex>` checked as HMAC of `content`. */
async function hexSignature(
  delivery: InboundDelivery,
  header: string,
  prefix: string,
  secret: string,
  content: Uint8Array,
  hash: HmacHash = "SHA-256",
): Promise<Verification> {
  const value = delivery.headers[header];
  if (value === undefined || value === "") return fail("missing_signature");
  if (!value.startsWith(prefix)) return fail("malformed_signature");
  const signature = fromHex(value.slice(prefix.length));
  if (signature === null || signature.length === 0) return fail("malformed_signature");
  return (await hmacMatches(hash, secret, content, signature)) ? PASS : fail("bad_signature");
}

/**
 * Schemes signed with a secret of the deployment rather than one per endpoint: the catalog
 * provider whose OAuth client secret signs them. Their endpoints keep no secret; the
 * receiving side reads it from the deployment (convex/shared/env.ts `oauthClientFor`).
 */
export const OAUTH_CLIENT_SIGNED_SCHEMES: Partial<Readonly<Record<InboundSchemeId, string>>> = { jira_dynamic: "jira", linkedin: "linkedin" };

/** The catalog provider whose OAuth client secret signs `scheme`'s deliveries, or null when each endpoint has its own secret. */
export function oauthClientSigner(scheme: InboundSchemeId): string | null {
  return OAUTH_CLIENT_SIGNED_SCHEMES[scheme] ?? null;
}

/** A timestamp header in whole seconds, within `toleranceS` of arrival; null when it passes. */
function staleSeconds(delivery: InboundDelivery, header: string, toleranceS: number): { failure: Verification | null; value: string } {
  const value = delivery.headers[header] ?? "";
  if (!/^\d{1,12}$/.test(value)) return { failure: fail("missing_timestamp"), value };
  const skew = Math.abs(delivery.receivedAt / 1000 - Number(value));
  return { failure: skew > toleranceS ? fail("stale_timestamp") : null, value };
}

/** Parses a verified body as JSON; undefined when it is not JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

/** One base64url part of a JWT parsed as a JSON object, or null. */
function jwtJson(part: string): Record<string, unknown> | null {
  const bytes = fromBase64(part);
  if (bytes === null) return null;
  const value = parseJson(bytes);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * `Authorization: Bearer <JWT>` signed HS256 with `secret` (RFC 7519, RFC 7515 §5.2): the
 * header's `alg` must be HS256 (`none` and every other algorithm are refused before any key is
 * used), the signature over `<header>.<payload>` is compared in constant time, and only then is
 * the payload read: `exp` must be there and not passed, `iat` (when present) not in the future,
 * each by at most JIRA_JWT_CLOCK_TOLERANCE_S. The token does not sign the body.
 */
async function hs256Bearer(d: InboundDelivery, secret: string): Promise<Verification> {
  const value = d.headers["authorization"];
  if (value === undefined || value.trim() === "") return fail("missing_signature");
  if (value.length > JIRA_JWT_MAX_CHARS) return fail("malformed_signature");
  const bearer = /^Bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(value.trim());
  if (!bearer) return fail("malformed_signature");
  const [, encodedHeader, encodedPayload, encodedSignature] = bearer as unknown as [string, string, string, string];
  const header = jwtJson(encodedHeader);
  if (header === null || header.alg !== "HS256") return fail("malformed_signature");
  const signature = fromBase64(encodedSignature);
  if (signature === null || signature.length === 0) return fail("malformed_signature");
  if (!(await hmacMatches("SHA-256", secret, utf8Bytes(`${encodedHeader}.${encodedPayload}`), signature))) return fail("bad_signature");
  const payload = jwtJson(encodedPayload);
  if (payload === null) return fail("malformed_signature");
  const nowS = d.receivedAt / 1000;
  const { exp, iat } = payload;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return fail("missing_timestamp");
  if (nowS > exp + JIRA_JWT_CLOCK_TOLERANCE_S) return fail("stale_timestamp");
  if (iat !== undefined && (typeof iat !== "number" || !Number.isFinite(iat) || iat > nowS + JIRA_JWT_CLOCK_TOLERANCE_S)) return fail("stale_timestamp");
  return PASS;
}

type Scheme = {
  /** What the provider's settings page or docs call the check, for the events page. */
  label: string;
  verify(delivery: InboundDelivery, secret: string): Promise<Verification>;
};

export const INBOUND_SCHEMES: Record<InboundSchemeId, Scheme> = {
  // X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256(secret, body)
  // [docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries].
  github: {
    label: "X-Hub-Signature-256 (HMAC-SHA256)",
    verify: (d, secret) => hexSignature(d, "x-hub-signature-256", "sha256=", secret, d.body),
  },
  // X-Slack-Signature: "v0=" + hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + body)
  // [api.slack.com/authentication/verifying-requests-from-slack].
  slack: {
    label: "X-Slack-Signature v0 (HMAC-SHA256 with timestamp)",
    async verify(d, secret) {
      const { failure, value } = staleSeconds(d, "x-slack-request-timestamp", SLACK_TIMESTAMP_TOLERANCE_S);
      if (failure) return failure;
      return await hexSignature(d, "x-slack-signature", "v0=", secret, concatBytes(`v0:${value}:`, d.body));
    },
  },
  // Linear-Signature: hex HMAC-SHA256(secret, body), no prefix; the body's webhookTimestamp (ms)
  // guards against replays [linear.app/developers/webhooks].
  linear: {
    label: "Linear-Signature (HMAC-SHA256) and webhookTimestamp",
    async verify(d, secret) {
      const signed = await hexSignature(d, "linear-signature", "", secret, d.body);
      if (!signed.ok) return signed;
      const body = parseJson(d.body) as { webhookTimestamp?: unknown } | undefined;
      if (body === undefined || body === null) return fail("malformed_body");
      const at = body.webhookTimestamp;
      if (typeof at !== "number" || !Number.isFinite(at)) return fail("missing_timestamp");
      return Math.abs(d.receivedAt - at) > LINEAR_TIMESTAMP_TOLERANCE_MS ? fail("stale_timestamp") : PASS;
    },
  },
  // X-Notion-Signature: "sha256=" + hex HMAC-SHA256(verification_token, body)
  // [developers.notion.com/reference/webhooks].
  notion: {
    label: "X-Notion-Signature (HMAC-SHA256 with the verification token)",
    verify: (d, secret) => hexSignature(d, "x-notion-signature", "sha256=", secret, d.body),
  },
  // x-zm-signature: "v0=" + hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp + ":" + body)
  // [developers.zoom.us/docs/api/webhooks/#verify-webhook-events].
  zoom: {
    label: "x-zm-signature v0 (HMAC-SHA256 with timestamp)",
    async verify(d, secret) {
      const { failure, value } = staleSeconds(d, "x-zm-request-timestamp", ZOOM_TIMESTAMP_TOLERANCE_S);
      if (failure) return failure;
      return await hexSignature(d, "x-zm-signature", "v0=", secret, concatBytes(`v0:${value}:`, d.body));
    },
  },
  // X-Hook-Signature: hex HMAC-SHA256(the X-Hook-Secret of the handshake, body)
  // [developers.asana.com/docs/webhooks-guide].
  asana: {
    label: "X-Hook-Signature (HMAC-SHA256 with the handshake secret)",
    verify: (d, secret) => hexSignature(d, "x-hook-signature", "", secret, d.body),
  },
  // X-Trello-Webhook: base64 HMAC-SHA1(app secret, body + callbackURL as registered)
  // [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures].
  trello: {
    label: "X-Trello-Webhook (HMAC-SHA1 of body and callback URL)",
    async verify(d, secret) {
      const value = d.headers["x-trello-webhook"];
      if (value === undefined || value === "") return fail("missing_signature");
      // Only "" decodes to no bytes, and it is refused above.
      const signature = fromBase64(value);
      if (signature === null) return fail("malformed_signature");
      return (await hmacMatches("SHA-1", secret, concatBytes(d.body, d.url), signature)) ? PASS : fail("bad_signature");
    },
  },
  // X-Hub-Signature: "sha256=" + hex HMAC-SHA256(secret, body), for webhooks registered with a
  // secret [developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks].
  jira: {
    label: "X-Hub-Signature (HMAC-SHA256)",
    verify: (d, secret) => hexSignature(d, "x-hub-signature", "sha256=", secret, d.body),
  },
  // Webhooks an OAuth 2.0 (3LO) app registers with POST /rest/api/3/webhook are sent with an
  // Authorization bearer token [developer.atlassian.com/cloud/jira/platform/webhooks/#webhooks-authentication-for-oauth-2-0-apps];
  // that it is a JWT signed HS256 with the app's OAuth client secret is Nango's reading
  // [nango.dev/docs/api-integrations/jira/webhooks] (?), as are its claims (`exp`, `iat`) (?).
  jira_dynamic: {
    label: "Authorization bearer JWT (HS256 with the OAuth app's client secret)",
    verify: hs256Bearer,
  },
  // x-pumble-request-signature: hex HMAC-SHA256(signing secret, x-pumble-request-timestamp + ":" + body)
  // [pumble-node-sdk middlewares].
  pumble: {
    label: "x-pumble-request-signature (HMAC-SHA256 with timestamp)",
    async verify(d, secret) {
      const { failure, value } = staleSeconds(d, "x-pumble-request-timestamp", PUMBLE_TIMESTAMP_TOLERANCE_S);
      if (failure) return failure;
      return await hexSignature(d, "x-pumble-request-signature", "", secret, concatBytes(`${value}:`, d.body));
    },
  },
  // Graph signs nothing: each notification in `value` carries the subscription's clientState,
  // which must equal ours [learn.microsoft.com/graph/change-notifications-delivery-webhooks].
  microsoft_graph: {
    label: "clientState on every notification",
    async verify(d, secret) {
      const body = parseJson(d.body) as { value?: unknown } | undefined;
      if (!Array.isArray(body?.value) || body.value.length === 0) return fail("malformed_body");
      for (const notification of body.value as Array<{ clientState?: unknown }>) {
        if (typeof notification?.clientState !== "string") return fail("missing_signature");
        if (!constantTimeEqual(notification.clientState, secret)) return fail("bad_signature");
      }
      return PASS;
    },
  },
  // Calendar push channels sign nothing: X-Goog-Channel-Token echoes the token set at `watch`
  // [developers.google.com/calendar/api/guides/push].
  google_calendar: {
    label: "X-Goog-Channel-Token",
    async verify(d, secret) {
      const token = d.headers["x-goog-channel-token"];
      if (token === undefined || token === "") return fail("missing_signature");
      return constantTimeEqual(token, secret) ? PASS : fail("bad_signature");
    },
  },
  // X-LI-Signature: "the HMACSHA256 hash of the JSON-encoded string representation of the POST
  // body prefixed by hmacsha256=", keyed with the app's client secret, hex
  // [learn.microsoft.com/linkedin/shared/api-guide/webhook-validation]. Whether "prefixed" means
  // the signed text starts with "hmacsha256=" or the header does is unclear (?): the header may
  // carry the prefix, and the HMAC of the body with or without it is accepted (both need the secret).
  linkedin: {
    label: "X-LI-Signature (HMAC-SHA256 with the app's client secret)",
    async verify(d, secret) {
      const value = d.headers["x-li-signature"];
      if (value === undefined || value === "") return fail("missing_signature");
      const signature = fromHex(value.startsWith(LINKEDIN_SIGNATURE_PREFIX) ? value.slice(LINKEDIN_SIGNATURE_PREFIX.length) : value);
      if (signature === null || signature.length === 0) return fail("malformed_signature");
      if (await hmacMatches("SHA-256", secret, concatBytes(LINKEDIN_SIGNATURE_PREFIX, d.body), signature)) return PASS;
      return (await hmacMatches("SHA-256", secret, d.body, signature)) ? PASS : fail("bad_signature");
    },
  },
  // webhook-signature: space-separated "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>",
  // key = base64 after "whsec_" [standardwebhooks.com, spec/standard-webhooks.md].
  standard_webhooks: {
    label: "Standard Webhooks (webhook-signature v1)",
    async verify(d, secret) {
      const id = d.headers["webhook-id"];
      const signatures = d.headers["webhook-signature"];
      if (id === undefined || id === "" || signatures === undefined || signatures === "") return fail("missing_signature");
      const { failure, value } = staleSeconds(d, "webhook-timestamp", STANDARD_WEBHOOKS_TOLERANCE_S);
      if (failure) return failure;
      // The same reading of a whsec_ secret as the signer of what we send (lib/webhooks/signing.ts).
      let key: Uint8Array;
      try {
        key = secretKeyBytes(secret);
      } catch {
        return fail("bad_signature");
      }
      const content = concatBytes(`${id}.${value}.`, d.body);
      let wellFormed = false;
      for (const entry of signatures.split(" ")) {
        const [version, encoded] = entry.split(",", 2);
        if (version !== "v1" || encoded === undefined) continue;
        const signature = fromBase64(encoded);
        if (signature === null || signature.length === 0) continue;
        wellFormed = true;
        if (await hmacMatches("SHA-256", key, content, signature)) return PASS;
      }
      return fail(wellFormed ? "bad_signature" : "malformed_signature");
    },
  },
};

/**
 * Checks one delivery against its endpoint's secret with the provider's scheme. During a
 * secret rotation pass both secrets (newest first): either one verifies.
 */
export async function verifyDelivery(scheme: InboundSchemeId, delivery: InboundDelivery, secrets: readonly string[]): Promise<Verification> {
  let last: Verification = fail("bad_signature");
  for (const secret of secrets) {
    last = await INBOUND_SCHEMES[scheme].verify(delivery, secret);
    if (last.ok) return last;
  }
  return last;
}
