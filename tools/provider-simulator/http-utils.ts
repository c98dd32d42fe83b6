import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** What a handler answers; the server writes it and logs the status. */
export type SimResponse = { status: number; headers: Record<string, string>; body: string };

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

export function empty(status: number): SimResponse {
  return { status, headers: {}, body: "" };
}

/** The first value of a header, or undefined. */
export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Authorization: Basic` credentials, or null when absent or malformed. */
export function basicCredentials(req: SimRequest): { username: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header(req, "authorization") ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
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
