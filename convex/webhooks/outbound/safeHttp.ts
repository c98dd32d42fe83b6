"use node";
/**
 * Sending to a URL an org admin typed, without letting it reach our own network.
 * The URL string is checked first (lib/ssrf.ts), then the host is resolved once and
 * every address it resolved to is checked (lib/ip-address.ts): private, loopback,
 * link-local, CGNAT, multicast, metadata, IPv4-mapped, NAT64, 6to4 and reserved
 * addresses are refused. The connection then goes to the address that was checked,
 * through a `lookup` that returns only it, so a second resolution (DNS rebinding)
 * cannot swap it. Redirects are answers, never followed. Every call checks again.
 *
 * Node's `node:dns` and `node:http(s)` are what make this possible (Convex's `fetch`
 * resolves on its own), so this lives in a `"use node"` file with the sender.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
// Node's own timers: a test's fake clock (which moves retries on by hours) must not
// time out a request that is under way.
import { clearTimeout, setTimeout } from "node:timers";
import ipaddr from "ipaddr.js";
import { addressRejection, isPlainLoopback } from "../../../lib/ip-address";
import { parseRetryAfter } from "../../../lib/http/retry-after";
import { checkOutboundUrl } from "../../../lib/ssrf";
import type { AttemptEnding } from "../../../lib/webhooks";

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

export type SafeSendResult = { ending: AttemptEnding; body: string; latencyMs: number };

/** POSTs `body` to `rawUrl` under the rules of the module comment. Never throws. */
export async function sendSafely(
  rawUrl: string,
  request: { headers: Record<string, string>; body: string },
  options: SafeSendOptions,
): Promise<SafeSendResult> {
  const started = Date.now();
  const done = (ending: AttemptEnding, body = ""): SafeSendResult => ({ ending, body, latencyMs: Date.now() - started });

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

function post(
  url: URL,
  address: string,
  request: { headers: Record<string, string>; body: string },
  options: SafeSendOptions,
  done: (ending: AttemptEnding, body?: string) => SafeSendResult,
): Promise<SafeSendResult> {
  const family = ipaddr.parse(address).kind() === "ipv6" ? 6 : 4;
  // The only answer this connection's resolution can give: the address checked above.
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const payload = Buffer.from(request.body, "utf8");
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
        method: "POST",
        headers: { ...request.headers, "user-agent": "Switchboard-Webhooks/1.0", "content-length": String(payload.length) },
        lookup: pinnedLookup,
        agent: false, // no pooled socket from an earlier check
      },
      (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        const answer = () =>
          done(
            {
              kind: "response",
              status: response.statusCode ?? 0,
              retryAfterSeconds: parseRetryAfter(headerValue(response.headers["retry-after"]) ?? null),
            },
            Buffer.concat(chunks).toString("utf8"),
          );
        response.on("data", (chunk: Buffer) => {
          const room = options.maxResponseBytes - bytes;
          if (room <= 0) return;
          chunks.push(chunk.subarray(0, room));
          bytes += Math.min(room, chunk.length);
          if (bytes >= options.maxResponseBytes) {
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
    outgoing.end(payload);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
