"use node";
/**
 * Sending to a URL an org admin typed (a webhook endpoint, a Pumble or custom webhook
 * connection's URL), without letting it reach our own network.
 * The URL string is checked first (lib/ssrf.ts), then the host is resolved once and
 * every address it resolved to is checked (lib/ip-address.ts): private, loopback,
 * link-local, CGNAT, multicast, metadata, IPv4-mapped, NAT64, 6to4 and reserved
 * addresses are refused. The connection then goes to the address that was checked,
 * through a `lookup` that returns only it, so a second resolution (DNS rebinding)
 * cannot swap it. Redirects are answers, never followed. Every call checks again.
 *
 * Node's `node:dns` and `node:http(s)` are what make this possible (Convex's `fetch`
 * resolves on its own), so this lives in a `"use node"` file: the webhook sender calls
 * `sendSafely` directly, the call pipeline (a default-runtime action) through `send`.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
// Node's own timers: a test's fake clock (which moves retries on by hours) must not
// time out a request that is under way.
import { clearTimeout, setTimeout } from "node:timers";
import { v } from "convex/values";
import ipaddr from "ipaddr.js";
import { addressRejection, isPlainLoopback } from "../../lib/ip-address";
import { parseRetryAfter } from "../../lib/http/retry-after";
import { checkOutboundUrl } from "../../lib/ssrf";
import { internalAction } from "../functions";
import { outboundUrlOptions } from "./env";

/** Every address a host name resolves to. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The system's resolver (getaddrinfo, as every other Node program resolves). */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((answer) => answer.address);

export type SafeSendOptions = {
  resolve: Resolver;
  /** 127.0.0.0/8 and ::1 only, over http too: for the local simulator and tests. */
  allowLoopback: boolean;
  timeoutMs: number;
  /** Most bytes of the answer read; the rest is dropped unread. */
  maxResponseBytes: number;
};

/** How a send ended: an answer (as far as it was read), no connection or answer, out of time, or refused before sending. */
export type SafeEnding =
  | { kind: "response"; status: number; retryAfterSeconds?: number }
  | { kind: "timeout" }
  | { kind: "network_error"; message: string }
  | { kind: "refused"; message: string };

export type SafeSendResult = {
  ending: SafeEnding;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  latencyMs: number;
};

export type SafeRequest = { method?: string; headers: Record<string, string>; body?: string };

/** Sends `request` (POST unless it says otherwise) to `rawUrl` under the rules of the module comment. Never throws. */
export async function sendSafely(rawUrl: string, request: SafeRequest, options: SafeSendOptions): Promise<SafeSendResult> {
  const started = Date.now();
  const done = (ending: SafeEnding, answer: { headers?: Record<string, string>; body?: string; truncated?: boolean } = {}): SafeSendResult => ({
    ending,
    headers: answer.headers ?? {},
    body: answer.body ?? "",
    bodyTruncated: answer.truncated ?? false,
    latencyMs: Date.now() - started,
  });

  // Plain http passes the string check only where loopback is allowed, and then only
  // to a name that resolves to loopback (checked below): the simulator and test receivers.
  const check = checkOutboundUrl(rawUrl, { allowLoopback: options.allowLoopback, allowHttp: options.allowLoopback });
  if (!check.ok) return done({ kind: "refused", message: `The URL is not allowed (${check.reason.replaceAll("_", " ")}).` });
  const url = check.url;
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;

  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await options.resolve(host);
  } catch {
    return done({ kind: "network_error", message: `${host} could not be resolved.` });
  }
  if (addresses.length === 0) return done({ kind: "network_error", message: `${host} has no address.` });
  for (const address of addresses) {
    const reason = addressRejection(address);
    if (reason !== null && !(options.allowLoopback && isPlainLoopback(address))) {
      return done({ kind: "refused", message: `${host} resolves to ${address}, a ${reason.replaceAll("_", " ")}; webhooks are not sent there.` });
    }
  }
  if (url.protocol === "http:" && !addresses.every(isPlainLoopback)) {
    return done({ kind: "refused", message: "Webhook URLs must use https." });
  }
  const pinned = addresses[0]!;
  return await post(url, pinned, request, options, done);
}

type Done = (ending: SafeEnding, answer?: { headers?: Record<string, string>; body?: string; truncated?: boolean }) => SafeSendResult;

function post(url: URL, address: string, request: SafeRequest, options: SafeSendOptions, done: Done): Promise<SafeSendResult> {
  const family = ipaddr.parse(address).kind() === "ipv6" ? 6 : 4;
  // The only answer this connection's resolution can give: the address checked above.
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const payload = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SafeSendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const transport = url.protocol === "https:" ? https : http;
    const outgoing = transport.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method ?? "POST",
        headers: { ...request.headers, ...(payload ? { "content-length": String(payload.length) } : {}) },
        lookup: pinnedLookup,
        agent: false, // no pooled socket from an earlier check
      },
      (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        let truncated = false;
        const answer = () =>
          done(
            {
              kind: "response",
              status: response.statusCode ?? 0,
              retryAfterSeconds: parseRetryAfter(headerValue(response.headers["retry-after"]) ?? null),
            },
            {
              headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, headerValue(value) ?? ""])),
              body: Buffer.concat(chunks).toString("utf8"),
              truncated,
            },
          );
        response.on("data", (chunk: Buffer) => {
          const room = options.maxResponseBytes - bytes;
          if (room <= 0) return;
          chunks.push(chunk.subarray(0, room));
          bytes += Math.min(room, chunk.length);
          if (bytes >= options.maxResponseBytes) {
            truncated = chunk.length > room || !response.complete;
            finish(answer());
            response.destroy();
          }
        });
        response.on("end", () => finish(answer()));
        response.on("error", () => finish(answer()));
      },
    );
    const timer = setTimeout(() => {
      finish(done({ kind: "timeout" }));
      outgoing.destroy();
    }, options.timeoutMs);
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      finish(done({ kind: "network_error", message: `No answer from ${url.host} (${error.code ?? "connection failed"}).` })),
    );
    if (payload) outgoing.end(payload);
    else outgoing.end();
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

const stringRecord = v.record(v.string(), v.string());

/**
 * `sendSafely` for default-runtime actions (the call pipeline's webhook providers), with
 * the system resolver and the deployment's loopback rule. The answer is plain data.
 */
export const send = internalAction({
  args: {
    url: v.string(),
    method: v.string(),
    headers: stringRecord,
    body: v.optional(v.string()),
    timeoutMs: v.number(),
    maxResponseBytes: v.number(),
  },
  handler: async (_ctx, { url, method, headers, body, timeoutMs, maxResponseBytes }): Promise<SafeSendResult> =>
    sendSafely(url, { method, headers, ...(body !== undefined ? { body } : {}) }, {
      resolve: systemResolver,
      allowLoopback: outboundUrlOptions().allowLoopback === true,
      timeoutMs,
      maxResponseBytes,
    }),
});
