/**
 * What a call log row may hold: the request and the answer, redacted and cut to
 * `CALL_LOG_EXCERPT_BYTES` each. Redaction runs twice, by name (headers, JSON keys,
 * query parameters that look secret) and by value (every secret of the connection,
 * in any spelling), and only then is the text cut, so a cut never exposes half a
 * token that a later pass would have caught whole. The excerpts are produced by a
 * walk that stops at the budget (./excerpt.ts): a 4 MB answer costs what a 2 KB one does.
 */
import { redactHeaders, redactText, redactUrl, truncate } from "../redact";
import { boundedExcerpt, writeBody, writeRaw } from "./excerpt";

/** Most bytes of request, and of response, a log row keeps. */
export const CALL_LOG_EXCERPT_BYTES = 2048;
/** Most bytes of the path a log row keeps. */
export const CALL_LOG_PATH_BYTES = 1024;
/** Most bytes of an error message a log row keeps. */
export const CALL_LOG_MESSAGE_BYTES = 512;

/** How a call ended, as logs and counters see it. */
export const CALL_OUTCOMES = [
  "ok",
  "client_error",
  "unauthorized",
  "rate_limited",
  "server_error",
  "network_error",
  "timeout",
  "refused",
  "not_connected",
  "credential_error",
  "provider_unavailable",
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * The outcome of an HTTP answer. Redirects count as ok: the pipeline never follows
 * them (a redirect could carry the credential to another host), the caller decides.
 */
export function outcomeOfStatus(status: number): CallOutcome {
  if (status === 401) return "unauthorized";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "ok";
}

/** A log-safe path: secret query values redacted by name and by value, then cut. */
export function logPath(path: string, secrets: readonly string[]): string {
  return truncate(redactText(redactUrl(path), secrets), CALL_LOG_PATH_BYTES);
}

/** A log-safe error message: known secrets removed, then cut. */
export function logMessage(message: string, secrets: readonly string[]): string {
  return truncate(redactText(message, secrets), CALL_LOG_MESSAGE_BYTES);
}

/** Serialises an excerpt, removes every known secret, and cuts it to the row's budget. */
function excerpt(value: unknown, secrets: readonly string[]): string {
  return truncate(redactText(JSON.stringify(value), secrets), CALL_LOG_EXCERPT_BYTES);
}

/**
 * The request half of a log row.
 * @example requestExcerpt({ method: "GET", path: "/me?token=x", headers: { authorization: "Bearer x" }, body: null }, ["x"])
 * // '{"method":"GET","path":"/me?token=[REDACTED]","headers":{"authorization":"Bearer [REDACTED]"},"body":null}'
 */
export function requestExcerpt(
  request: { method: string; path: string; headers: Headers | Record<string, string>; body: string | null },
  secrets: readonly string[],
): string {
  const headers = redactHeaders(request.headers);
  const head = `{"method":${JSON.stringify(request.method)},"path":${JSON.stringify(redactUrl(request.path))},"headers":${JSON.stringify(headers)},"body":`;
  return boundedExcerpt(
    (writer) => {
      writeRaw(writer, head);
      writeBody(writer, request.body, headers["content-type"] ?? headers["Content-Type"] ?? null);
      writeRaw(writer, "}");
    },
    secrets,
    CALL_LOG_EXCERPT_BYTES,
  );
}

/** The response half of a log row. */
export function responseExcerpt(
  response: { status: number; headers: Record<string, string>; body: string | null },
  secrets: readonly string[],
): string {
  const head = `{"status":${JSON.stringify(response.status)},"headers":${JSON.stringify(redactHeaders(response.headers))},"body":`;
  return boundedExcerpt(
    (writer) => {
      writeRaw(writer, head);
      writeBody(writer, response.body, response.headers["content-type"] ?? null);
      writeRaw(writer, "}");
    },
    secrets,
    CALL_LOG_EXCERPT_BYTES,
  );
}

/** The parts of a call log row that one sent request (an exchange) determines. */
export type ExchangeLogEntry = {
  method: string;
  path: string;
  status: number | null;
  outcome: CallOutcome;
  request: string;
  response: string | undefined;
  responseTruncated: boolean | undefined;
  errorMessage: string | undefined;
};

/**
 * How one request that is not a pipeline call (a token exchange, refresh,
 * revocation, test, connect-time check or keep-alive) reads in the call log.
 * Token endpoint traffic keeps only method, path, status, latency and outcome:
 * its bodies and headers carry grants and client secrets. A webhook's URL is its
 * credential, so only its host is shown.
 */
export function exchangeLogEntry(
  exchange: {
    method: string;
    url: URL;
    headers: Headers;
    body: string | undefined;
    logBodies: boolean;
    urlIsSecret: boolean;
    /** The connection's API base: a URL under it is shown relative to it, as calls are. */
    apiBase?: string | null;
  },
  result: { kind: "response"; status: number; headers: Record<string, string>; body: string; bodyTruncated: boolean } | { kind: "network_error" | "timeout" },
  secrets: readonly string[],
): ExchangeLogEntry {
  const shownPath = exchange.urlIsSecret ? `${exchange.url.host} (webhook URL)` : shownUrl(exchange.url, exchange.apiBase ?? null);
  const path = logPath(shownPath, secrets);
  const request = exchange.logBodies
    ? requestExcerpt({ method: exchange.method, path, headers: exchange.headers, body: exchange.body ?? null }, secrets)
    : excerpt({ method: exchange.method, path }, secrets);
  if (result.kind !== "response") {
    return {
      method: exchange.method,
      path,
      status: null,
      outcome: result.kind,
      request,
      response: undefined,
      responseTruncated: undefined,
      errorMessage: result.kind === "timeout" ? "No answer in time." : "The provider could not be reached.",
    };
  }
  return {
    method: exchange.method,
    path,
    status: result.status,
    outcome: outcomeOfStatus(result.status),
    request,
    response: exchange.logBodies
      ? responseExcerpt({ status: result.status, headers: result.headers, body: result.body }, secrets)
      : excerpt({ status: result.status }, secrets),
    responseTruncated: result.bodyTruncated || undefined,
    errorMessage: undefined,
  };
}

/** A URL as a log shows it: relative to the API base when under it, else host and path. */
function shownUrl(url: URL, apiBase: string | null): string {
  if (apiBase !== null && URL.canParse(apiBase)) {
    const base = new URL(apiBase);
    const basePath = base.pathname.replace(/\/+$/, "");
    if (url.origin === base.origin && (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
      return `${url.pathname.slice(basePath.length) || "/"}${url.search}`;
    }
  }
  return `${url.host}${url.pathname}${url.search}`;
}
