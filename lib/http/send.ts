/**
 * The one function that puts a request to a provider on the wire. Whatever the
 * purpose (token exchange, refresh, revocation, connect-time check, keep-alive, a
 * call), the request:
 * - never follows a redirect (`redirect: "manual"`): a 3xx is an answer, so a
 *   credential cannot be bounced to another host;
 * - has a time limit;
 * - reads at most `maxResponseBytes` of the answer, incrementally, then cancels the
 *   stream, so a huge (or endless) answer cannot exhaust an action's memory.
 * It never throws for the network: every ending is a `SendResult`.
 */
import { parseRetryAfter } from "./retry-after";
import type { ProviderRequest } from "./request";

/** Default time limit of one request. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Default most bytes of an answer read. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export type SendOptions = { timeoutMs?: number; maxResponseBytes?: number };

/** An answer, as far as it was read. */
export type HttpAnswer = {
  kind: "response";
  status: number;
  headers: Headers;
  /** The body decoded as UTF-8, cut at `maxResponseBytes`. */
  body: string;
  /** True when the answer was longer than the cap and the rest was not read. */
  bodyTruncated: boolean;
  retryAfterSeconds: number | undefined;
};

/** How a request ended: an answer, no connection/answer at all, or out of time. */
export type SendResult = HttpAnswer | { kind: "network_error" } | { kind: "timeout" };

/** Sends `request` once. See the module comment for the guarantees. */
export async function sendRequest(request: ProviderRequest, options: SendOptions = {}): Promise<SendResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal,
    });
  } catch (error) {
    return endingOf(error);
  }
  let read: { body: string; truncated: boolean };
  try {
    read = await readCapped(response, maxBytes);
  } catch (error) {
    return endingOf(error);
  }
  return {
    kind: "response",
    status: response.status,
    headers: response.headers,
    body: read.body,
    bodyTruncated: read.truncated,
    retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")),
  };
}

function endingOf(error: unknown): SendResult {
  const name = (error as { name?: string } | null)?.name;
  return name === "TimeoutError" || name === "AbortError" ? { kind: "timeout" } : { kind: "network_error" };
}

/**
 * Reads at most `maxBytes` of the body, then cancels the rest of the stream. The
 * chunks are kept as bytes and decoded once at the end (decoding chunk by chunk and
 * joining the pieces cost more than the reading).
 */
async function readCapped(response: Response, maxBytes: number): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: "", truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      // A cut may fall inside a multi-byte character: drop the partial one.
      const all = joined(chunks, bytes + room);
      return { body: utf8.decode(all.subarray(0, wholeCharacters(all))), truncated: true };
    }
    bytes += value.byteLength;
    chunks.push(value);
  }
  return { body: utf8.decode(joined(chunks, bytes)), truncated: false };
}

const utf8 = new TextDecoder();

function joined(chunks: Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/** The length of `bytes` without a multi-byte UTF-8 character left incomplete at its end. */
function wholeCharacters(bytes: Uint8Array): number {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && (bytes[lead]! & 0b1100_0000) === 0b1000_0000) lead--;
  if (lead < 0) return bytes.length;
  const byte = bytes[lead]!;
  const length = byte >= 0b1111_0000 ? 4 : byte >= 0b1110_0000 ? 3 : byte >= 0b1100_0000 ? 2 : 1;
  return bytes.length - lead < length ? lead : bytes.length;
}

/**
 * Something that sends a built request and reports how it ended: `sendRequest`
 * itself in lib tests, or the Convex side's logging sender, which also writes the
 * exchange to the call log. Lib modules that talk to providers take one.
 */
export type Transport = (request: ProviderRequest, options?: SendOptions) => Promise<SendResult>;
