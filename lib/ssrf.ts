/**
 * SSRF guard for URLs that org admins give us (webhook endpoints, WordPress sites,
 * custom API bases) before the server fetches them.
 *
 * This is a check of the URL string only. It does not cover DNS: a public name that
 * resolves to 127.0.0.1 or 169.254.169.254, or that changes its answer between check
 * and fetch (DNS rebinding), passes. Convex's `fetch` gives no control over resolution,
 * so that part of the defence has to live in the network (an egress proxy or firewall).
 * Callers must also fetch with `redirect: "manual"` and check every `Location` again.
 *
 * The address ranges themselves live in `lib/ip-address.ts`, shared with the sender of
 * outbound webhooks and webhook-URL providers (convex/shared/safeHttp.ts), which does
 * resolve names in a Node action and checks every address before connecting to it.
 */
import { addressRejection } from "./ip-address";

/** Every reason a URL is refused. */
export const OUTBOUND_URL_REJECTIONS = [
  "invalid_url",
  "unsupported_scheme",
  "credentials_in_url",
  "https_required",
  "loopback_address",
  "private_address",
  "link_local",
  "cgnat_address",
  "multicast_address",
  "unspecified_address",
  "reserved_address",
  "internal_hostname",
] as const;
export type OutboundUrlRejection = (typeof OUTBOUND_URL_REJECTIONS)[number];

export type OutboundUrlOptions = {
  /** Permit 127.0.0.0/8, [::1] and `localhost`, over http too. For tests and the local simulator. */
  allowLoopback?: boolean;
  /** Permit plain http to public hosts. */
  allowHttp?: boolean;
};

export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: OutboundUrlRejection };


// Names that only resolve inside a network: RFC 6761 (localhost), RFC 6762 (local),
// RFC 8375 (home.arpa), ICANN's .internal, and TLDs that are never delegated.
const INTERNAL_SUFFIXES = ["localhost", "internal", "local", "localdomain", "home.arpa", "lan", "home", "corp", "intranet"];

/**
 * Decides whether the server may send a request to `raw`. Refuses other schemes than
 * http(s), user:password in the URL, IP literals outside public unicast space (any
 * IPv4 spelling the URL parser accepts, such as `2130706433` or `0x7f.1`, and IPv6
 * including IPv4-mapped, NAT64 and 6to4 forms), `localhost` and internal or
 * single-label names. Plain http needs `allowHttp`, except to loopback when
 * `allowLoopback` is set. See the module comment for what a string check cannot catch.
 * @example checkOutboundUrl("https://example.com/hook") // { ok: true, url: URL }
 * @example checkOutboundUrl("http://169.254.169.254/") // { ok: false, reason: "link_local" }
 */
export function checkOutboundUrl(raw: string | URL, options: OutboundUrlOptions = {}): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "invalid_url" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "unsupported_scheme" };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "credentials_in_url" };

  const host = url.hostname;
  const reason = host.startsWith("[") ? addressRejection(host.slice(1, -1)) : hostRejection(host);
  // Only 127.0.0.0/8, [::1] and localhost: not ::ffff:127.0.0.1, not *.localhost.
  const loopbackAllowed =
    options.allowLoopback === true &&
    reason === "loopback_address" &&
    (host === "[::1]" || host.replace(/\.+$/, "") === "localhost" || endsInNumber(host));
  if (reason !== null && !loopbackAllowed) return { ok: false, reason };

  if (url.protocol === "http:" && !options.allowHttp && !loopbackAllowed) return { ok: false, reason: "https_required" };
  return { ok: true, url };
}

function hostRejection(host: string): OutboundUrlRejection | null {
  if (endsInNumber(host)) {
    const address = parseIpv4(host);
    return address === null ? "invalid_url" : addressRejection(dotted(address));
  }
  const name = host.replace(/\.+$/, "");
  if (name === "localhost") return "loopback_address";
  if (!name.includes(".")) return "internal_hostname"; // resolved through search domains
  if (INTERNAL_SUFFIXES.some((suffix) => name.endsWith(`.${suffix}`))) return "internal_hostname";
  return null;
}

// A WHATWG URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1,
// 0177.0.0.1) into dotted decimal. These two repeat its IPv4 rules (URL Standard
// §3.5, "ends in a number" and "IPv4 parser"), so the guard does not depend on
// the runtime's URL implementation being complete.

/** True when the host must be read as an IPv4 address: its last label is a number. */
function endsInNumber(host: string): boolean {
  const labels = host.split(".");
  if (labels.at(-1) === "" && labels.length > 1) labels.pop();
  const last = labels.at(-1) ?? "";
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

/** The address as a 32-bit number, or null when it is not a valid IPv4 address. */
function parseIpv4(host: string): number | null {
  const labels = host.split(".");
  if (labels.at(-1) === "" && labels.length > 1) labels.pop();
  if (labels.length > 4) return null;
  const numbers: number[] = [];
  for (const label of labels) {
    const hex = /^0x([0-9a-f]*)$/i.exec(label);
    if (hex) numbers.push(hex[1] === "" ? 0 : parseInt(hex[1], 16));
    else if (/^0[0-7]+$/.test(label)) numbers.push(parseInt(label, 8));
    else if (/^(0|[1-9][0-9]*)$/.test(label)) numbers.push(Number(label));
    else return null;
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  return numbers.reduce((value, n, i) => value + n * 256 ** (3 - i), 0) + last;
}

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}
