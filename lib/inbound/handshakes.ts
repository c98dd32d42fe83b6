/**
 * The answers providers expect while a webhook is being set up, before (or instead of)
 * a normal delivery. Each returns the exact response to send, or null when the request is
 * not that provider's handshake. Pure: the caller has already verified what can be
 * verified (Slack and Zoom sign their handshakes; Asana, Graph, Trello and Notion cannot,
 * which is why their handshakes are accepted only for a subscription that is waiting for one).
 */
import { hmac, toHex } from "./hmac";

/** What the HTTP action sends back. */
export type HandshakeAnswer = { status: number; headers: Record<string, string>; body: string };

const JSON_HEADERS = { "content-type": "application/json" };
// An echoed token is someone else's text: plain text, never sniffed as HTML.
const TEXT_HEADERS = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

/** Longest token echoed back; real ones are far shorter (Slack's challenge is ~50 characters). */
export const MAX_ECHOED_TOKEN_LENGTH = 1024;
const echoable = (value: unknown): value is string => typeof value === "string" && value.length > 0 && value.length <= MAX_ECHOED_TOKEN_LENGTH;

/**
 * Slack's `url_verification`: answer with the challenge [api.slack.com/events/url_verification].
 * Slack signs it like any event, so verify first.
 */
export function slackChallenge(body: unknown): HandshakeAnswer | null {
  const b = obj(body);
  if (b.type !== "url_verification" || !echoable(b.challenge)) return null;
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ challenge: b.challenge }) };
}

/**
 * Zoom's `endpoint.url_validation`: `{plainToken, encryptedToken: hex HMAC-SHA256(secret token, plainToken)}`
 * within 3 s [developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint].
 */
export async function zoomValidation(body: unknown, secretToken: string): Promise<HandshakeAnswer | null> {
  const b = obj(body);
  const plainToken = obj(b.payload).plainToken;
  if (b.event !== "endpoint.url_validation" || !echoable(plainToken)) return null;
  const encryptedToken = toHex(await hmac("SHA-256", secretToken, new TextEncoder().encode(plainToken)));
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ plainToken, encryptedToken }) };
}

/**
 * Asana's handshake: the first POST carries `X-Hook-Secret`; echo it in the same header
 * with 200, and keep it: it signs every later delivery [developers.asana.com/reference/createwebhook].
 */
export function asanaHandshake(headers: Readonly<Record<string, string>>): { answer: HandshakeAnswer; secret: string } | null {
  const secret = headers["x-hook-secret"];
  if (!echoable(secret)) return null;
  return { answer: { status: 200, headers: { "x-hook-secret": secret }, body: "" }, secret };
}

/**
 * Microsoft Graph's validation: `?validationToken=` on the notification URL; answer 200 with
 * the decoded token as plain text within 10 s [learn.microsoft.com/graph/change-notifications-delivery-webhooks].
 */
export function graphValidation(url: string): HandshakeAnswer | null {
  const token = new URL(url).searchParams.get("validationToken");
  if (!echoable(token)) return null;
  return { status: 200, headers: TEXT_HEADERS, body: token };
}

/**
 * LinkedIn's challenge: `GET ?challengeCode=`; answer JSON
 * `{challengeCode, challengeResponse: hex HMAC-SHA256(client secret, challengeCode)}`
 * [learn.microsoft.com/linkedin/shared/api-guide/webhook-validation].
 */
export async function linkedinChallenge(url: string, clientSecret: string): Promise<HandshakeAnswer | null> {
  const challengeCode = new URL(url).searchParams.get("challengeCode");
  if (!echoable(challengeCode)) return null;
  const challengeResponse = toHex(await hmac("SHA-256", clientSecret, new TextEncoder().encode(challengeCode)));
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ challengeCode, challengeResponse }) };
}

/** Trello checks a callback URL with `HEAD` when the webhook is created, and wants 200 [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks]. */
export function trelloHead(method: string): HandshakeAnswer | null {
  return method.toUpperCase() === "HEAD" ? { status: 200, headers: {}, body: "" } : null;
}

/**
 * Notion's subscription check: one unsigned POST `{verification_token}`; the admin pastes
 * the token back into Notion, and it signs every later delivery [developers.notion.com/reference/webhooks].
 */
export function notionVerificationToken(body: unknown): string | null {
  const b = obj(body);
  const token = b.verification_token;
  return Object.keys(b).length === 1 && echoable(token) ? token : null;
}
