/**
 * Standard Webhooks signatures (standardwebhooks.com, the scheme Svix uses), for what
 * Switchboard sends. A secret is `whsec_` + base64 of 24–64 random bytes; a delivery
 * carries three headers:
 *
 *   webhook-id:        msg_…  (the same on every attempt of one message)
 *   webhook-timestamp: seconds since the epoch, of this attempt
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> [v1,<…> …]
 *
 * During a secret rotation both secrets sign, space-separated, so a receiver that
 * still has either one verifies the delivery.
 */
import { base64ToBytes, bytesToBase64 } from "../vault/base64";

export const SECRET_PREFIX = "whsec_";
/** Random bytes in a new secret (Svix's default; the scheme allows 24 to 64). */
export const SECRET_BYTES = 32;
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;

/** A secret that is not `whsec_` + base64 of 24–64 bytes. */
export class WebhookSecretError extends Error {
  override name = "WebhookSecretError";
}

/**
 * A new secret from the platform's random generator. Call it in an action: Convex
 * seeds randomness in mutations.
 * @example generateWebhookSecret() // "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
 */
export function generateWebhookSecret(bytes = SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`A webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes.`);
  }
  return SECRET_PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The key bytes of a `whsec_` secret; throws `WebhookSecretError` for anything else. */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new WebhookSecretError(`A webhook secret starts with ${SECRET_PREFIX}.`);
  const bytes = base64ToBytes(secret.slice(SECRET_PREFIX.length));
  if (bytes === null || bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(`A webhook secret is ${SECRET_PREFIX} and base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes.`);
  }
  return bytes;
}

/** The message id a receiver deduplicates on: stable for one message, across every attempt. */
export function messageIdHeader(messageKey: string): string {
  return `msg_${messageKey}`;
}

const utf8 = new TextEncoder();

/**
 * The `webhook-signature` value for one attempt: one `v1,<signature>` per secret,
 * space-separated, in the order given (newest first).
 * @example await signatureHeader({ id: "msg_1", timestampSeconds: 1700000000, body: "{}", secrets: [secret] }) // "v1,K5oZ…="
 */
export async function signatureHeader(input: {
  id: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): Promise<string> {
  if (input.secrets.length === 0) throw new WebhookSecretError("A delivery needs at least one secret to sign with.");
  const content = utf8.encode(`${input.id}.${input.timestampSeconds}.${input.body}`);
  const signatures = await Promise.all(
    input.secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return `v1,${bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`;
    }),
  );
  return signatures.join(" ");
}

/** The three Standard Webhooks headers (plus Content-Type) of one attempt. */
export async function signedHeaders(input: {
  id: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestampSeconds),
    "webhook-signature": await signatureHeader(input),
  };
}
