/**
 * What is kept of an accepted delivery, and how its processing is retried. A payload
 * is stored redacted (values under secret-looking keys replaced) and cut to a cap, and
 * headers are kept redacted (signatures and tokens never reach the database). Pure.
 */
import { redactHeaders, redactJson, REDACTED, redactText, truncate } from "../redact";

/**
 * The largest body accepted. Convex HTTP actions take requests up to 20 MiB (?)
 * [docs.convex.dev/production/state/limits]; GitHub sends up to 25 MB, so its largest
 * deliveries are refused with 413 and counted against the endpoint.
 */
export const MAX_INBOUND_BODY_BYTES = 20 * 1024 * 1024;
/** The stored payload's cap: the events page shows it, processing reads it. Larger ones are cut and marked truncated. */
export const STORED_PAYLOAD_MAX_BYTES = 64 * 1024;
/** Headers kept per event, and the longest value kept of each. */
export const STORED_HEADERS_MAX = 40;
export const STORED_HEADER_VALUE_MAX_BYTES = 512;

/** Processing attempts before an event is dead-lettered, and the waits between them. */
export const PROCESSING_RETRY_SCHEDULE_MS = [5_000, 30_000, 5 * 60_000, 30 * 60_000] as const;
export const PROCESSING_MAX_ATTEMPTS = PROCESSING_RETRY_SCHEDULE_MS.length + 1;

/** The wait before attempt `attempt + 1` after `attempt` failed, or null when it was the last. */
export function processingRetryDelayMs(attempt: number, maxAttempts: number = PROCESSING_MAX_ATTEMPTS): number | null {
  if (attempt >= maxAttempts) return null;
  return PROCESSING_RETRY_SCHEDULE_MS[Math.max(0, Math.min(attempt, PROCESSING_RETRY_SCHEDULE_MS.length) - 1)]!;
}

export type StoredPayload = { payload: string; bytes: number; truncated: boolean };

/**
 * The payload as stored: parsed JSON redacted and re-serialised, or (for a body that is
 * not JSON) the text; any of the endpoint's `secrets` found in it replaced (Graph puts its
 * clientState in every notification); cut to `STORED_PAYLOAD_MAX_BYTES`. `bytes` is the
 * raw body's size.
 */
export function storedPayload(body: Uint8Array, parsed: unknown, secrets: readonly string[] = []): StoredPayload {
  const text = redactText(
    parsed === undefined ? new TextDecoder("utf-8").decode(body) : JSON.stringify(redactJson(parsed)),
    secrets,
  );
  const cut = truncate(text, STORED_PAYLOAD_MAX_BYTES);
  return { payload: cut, bytes: body.length, truncated: cut !== text };
}

/** Headers as stored: redacted (by name, and any of `secrets` in a value), at most `STORED_HEADERS_MAX`, each value capped. */
export function storedHeaders(headers: Readonly<Record<string, string>>, secrets: readonly string[] = []): Record<string, string> {
  const redacted = redactHeaders(headers);
  const kept: Record<string, string> = {};
  for (const name of Object.keys(redacted).sort().slice(0, STORED_HEADERS_MAX)) {
    // Convex field names may not start with "$"; header names never do, but stay safe.
    if (!/^[!-~]+$/.test(name) || name.startsWith("$")) continue;
    kept[name] = truncate(redactText(redacted[name]!, secrets), STORED_HEADER_VALUE_MAX_BYTES);
  }
  return kept;
}

/** True when a stored value was redacted, for the events page's hint. */
export const isRedacted = (value: string) => value === REDACTED;

/**
 * The outbound webhook event a normalized inbound type is forwarded as, if any
 * (lib/webhooks/catalog.ts lists what receivers can subscribe to).
 */
export const FORWARDED_TYPES = {
  "github.issues.opened": "github.issues.opened",
  "github.pull_request.opened": "github.pull_request.opened",
  "slack.message": "slack.message.posted",
  "linear.Issue.create": "linear.issue.created",
} as const;
export type ForwardedInboundType = keyof typeof FORWARDED_TYPES;

export function forwardedType(type: string): (typeof FORWARDED_TYPES)[ForwardedInboundType] | null {
  return Object.hasOwn(FORWARDED_TYPES, type) ? FORWARDED_TYPES[type as ForwardedInboundType] : null;
}
