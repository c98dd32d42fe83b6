/**
 * SSRF guard for URLs that org admins give us (webhook endpoints, WordPress sites,
 * custom API bases) before the server fetches them.
 *
 * This is a check of the URL string only. It does not cover DNS: a public name that
 * resolves to 127.0.0.1 or 169.254.169.254, or that changes its answer between check
 * and fetch (DNS rebinding), passes. Convex's `fetch` gives no control over resolution,
 * so that part of the defence has to live in the network (an egress proxy or firewall).
 * Callers must also fetch with `redirect: "manual"` and check every `Location` again.
 */

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

type AddressRejection = Extract<
  OutboundUrlRejection,
  | "loopback_address"
  | "private_address"
  | "link_local"
  | "cgnat_address"
  | "multicast_address"
  | "unspecified_address"
  | "reserved_address"
>;

// Special-purpose IPv4 ranges (IANA registry, RFC 6890), as [first address, prefix length].
const IPV4_RANGES: readonly [string, number, AddressRejection][] = [
  ["0.0.0.0", 8, "unspecified_address"], // "this network"; 0.0.0.0 reaches localhost on Linux
  ["10.0.0.0", 8, "private_address"],
  ["100.64.0.0", 10, "cgnat_address"], // RFC 6598; also Alibaba Cloud's metadata service
  ["127.0.0.0", 8, "loopback_address"],
  ["169.254.0.0", 16, "link_local"], // cloud metadata services live at 169.254.169.254
  ["172.16.0.0", 12, "private_address"],
  ["192.0.0.0", 24, "reserved_address"],
  ["192.0.2.0", 24, "reserved_address"],
  ["192.88.99.0", 24, "reserved_address"],
  ["192.168.0.0", 16, "private_address"],
  ["198.18.0.0", 15, "reserved_address"],
  ["198.51.100.0", 24, "reserved_address"],
  ["203.0.113.0", 24, "reserved_address"],
  ["224.0.0.0", 4, "multicast_address"],
  ["240.0.0.0", 4, "reserved_address"], // includes 255.255.255.255
];

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
  const reason = host.startsWith("[") ? ipv6Rejection(host.slice(1, -1)) : hostRejection(host);
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
    return address === null ? "invalid_url" : ipv4Rejection(address);
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

function ipv4ToNumber(dotted: string): number {
  return dotted.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

function ipv4Rejection(address: number): AddressRejection | null {
  for (const [first, prefixLength, reason] of IPV4_RANGES) {
    const size = 2 ** (32 - prefixLength);
    const start = ipv4ToNumber(first);
    if (address >= start && address < start + size) return reason;
  }
  return null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a dotted IPv4 tail. */
function parseIpv6(text: string): number[] | null {
  let body = text.toLowerCase();
  const tail = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (tail) {
    if (tail[1].split(".").some((octet) => Number(octet) > 255)) return null;
    const value = ipv4ToNumber(tail[1]);
    body = `${body.slice(0, -tail[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16));
}

function ipv6Rejection(text: string): AddressRejection | null {
  const g = parseIpv6(text);
  if (g === null) return "reserved_address"; // the URL parser accepted it; refuse what we cannot read
  const embeddedIpv4 = (high: number, low: number) => ipv4Rejection(high * 65536 + low);
  const zeroUpTo = (count: number) => g.slice(0, count).every((group) => group === 0);

  if (zeroUpTo(8)) return "unspecified_address";
  if (zeroUpTo(7) && g[7] === 1) return "loopback_address";
  if (zeroUpTo(5) && g[5] === 0xffff) return embeddedIpv4(g[6], g[7]); // IPv4-mapped
  if (zeroUpTo(6)) return "reserved_address"; // deprecated IPv4-compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) {
    return embeddedIpv4(g[6], g[7]); // NAT64, RFC 6052
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "private_address"; // local-use NAT64, RFC 8215
  if (g[0] === 0x2002) return embeddedIpv4(g[1], g[2]); // 6to4, RFC 3056
  if (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0x0db8)) return "reserved_address"; // Teredo, documentation
  if (g[0] === 0x3fff && g[1] < 0x1000) return "reserved_address"; // documentation, RFC 9637
  if ((g[0] & 0xfe00) === 0xfc00) return "private_address"; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return "private_address"; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return "multicast_address";
  if ((g[0] & 0xe000) !== 0x2000) return "reserved_address"; // outside global unicast 2000::/3
  return null;
}
