import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Readable } from "node:stream";

/**
 * What a handler answers; the server writes it and logs the status. A Readable body is
 * streamed (huge answers), everything else is a string.
 */
export type SimResponse = {
  status: number;
  headers: Record<string, string>;
  body: string | Readable;
  /** No answer at all: the server resets the connection instead (logged with status 0). */
  reset?: true;
};

/** A request with its body read and parsed once. */
export type SimRequest = {
  method: string;
  url: URL;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  contentType: string | null;
  rawBody: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  /** Flat string fields from a form or JSON object body (`{}` otherwise). */
  params: Record<string, string>;
  /** Which format `params` came from. */
  bodyFormat: "form" | "json" | "none" | "other";
};

const MAX_BODY_BYTES = 1_000_000;

export async function readRequest(req: IncomingMessage, baseUrl: string): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("Request body too large");
    chunks.push(chunk as Buffer);
  }
  const rawBody = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", baseUrl);
  const contentType = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase() ?? null;
  let json: unknown;
  let params: Record<string, string> = {};
  let bodyFormat: SimRequest["bodyFormat"] = rawBody === "" ? "none" : "other";
  if (contentType === "application/x-www-form-urlencoded") {
    params = Object.fromEntries(new URLSearchParams(rawBody));
    bodyFormat = "form";
  } else if (contentType?.endsWith("json") && rawBody !== "") {
    try {
      json = JSON.parse(rawBody);
      bodyFormat = "json";
      if (typeof json === "object" && json !== null && !Array.isArray(json)) {
        params = Object.fromEntries(
          Object.entries(json).flatMap(([k, v]) =>
            typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? [[k, String(v)]] : [],
          ),
        );
      }
    } catch {
      bodyFormat = "other";
    }
  }
  return {
    method: (req.method ?? "GET").toUpperCase(),
    url,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
    contentType,
    rawBody,
    json,
    params,
    bodyFormat,
  };
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(value),
  };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body };
}

export function html(status: number, body: string): SimResponse {
  return { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body };
}

export function redirect(location: string): SimResponse {
  return { status: 302, headers: { location, "cache-control": "no-store" }, body: "" };
}

/** A connection reset instead of an answer (`failNext` with `{kind: "reset"}`). */
export function connectionReset(): SimResponse {
  return { status: 0, headers: {}, body: "", reset: true };
}

export function empty(status: number): SimResponse {
  return { status, headers: {}, body: "" };
}

/** The first value of a header, or undefined. */
export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** What an `Authorization: Basic` header held: nothing, something unreadable, or a pair. */
export type BasicCredentials =
  | { kind: "absent" }
  | { kind: "malformed"; reason: string }
  | { kind: "credentials"; username: string; password: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The `user-pass` text of a Basic header split at its first ":" (RFC 7617 §2: the user
 * id cannot hold a colon, the password can). Node's base64 decoder skips characters it
 * does not know, so the alphabet and padding are checked first: garbage must be refused,
 * not read as some other credential.
 */
function readBasic(req: SimRequest): BasicCredentials {
  const authorization = header(req, "authorization");
  if (authorization === undefined || !/^Basic(\s|$)/i.test(authorization)) return { kind: "absent" };
  const encoded = /^Basic +(\S+)$/i.exec(authorization)?.[1];
  if (encoded === undefined) return { kind: "malformed", reason: "Basic needs exactly one base64 token." };
  if (!BASE64.test(encoded)) return { kind: "malformed", reason: "The Basic credentials are not valid base64." };
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(Buffer.from(encoded, "base64"));
  } catch {
    return { kind: "malformed", reason: "The Basic credentials are not UTF-8." };
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return { kind: "malformed", reason: 'The Basic credentials have no ":".' };
  return { kind: "credentials", username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Basic credentials of a user (RFC 7617), such as WordPress application passwords: plain
 * UTF-8, taken as they are. Not for OAuth clients: see `basicClientCredentials`.
 */
export function basicUserCredentials(req: SimRequest): BasicCredentials {
  return readBasic(req);
}

/**
 * Decodes one application/x-www-form-urlencoded value (RFC 6749 Appendix B): "+" is a
 * space, percent-escapes are UTF-8 bytes. Null for a broken escape such as "%zz", which
 * a client that encoded its credentials could not have sent.
 */
export function formUrlDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * Basic credentials of an OAuth client (RFC 6749 §2.3.1): the client id and secret are
 * each form-urlencoded before being joined with ":" and base64-encoded, so each half is
 * form-urldecoded here. A client that skips the encoding gets its "+" read as a space and
 * its "%xx" as an escape, and is refused, as a strict provider would refuse it.
 */
export function basicClientCredentials(req: SimRequest): BasicCredentials {
  const raw = readBasic(req);
  if (raw.kind !== "credentials") return raw;
  const username = formUrlDecode(raw.username);
  const password = formUrlDecode(raw.password);
  if (username === null || password === null) {
    return { kind: "malformed", reason: "The Basic client credentials are not form-urlencoded (RFC 6749 §2.3.1)." };
  }
  return { kind: "credentials", username, password };
}

/** `Authorization: Bearer` token, or null. */
export function bearerToken(req: SimRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
  return match ? match[1]! : null;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** Appends query parameters to a redirect URI that may already carry some. */
export function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
