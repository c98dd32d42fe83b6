/**
 * Which IP addresses the server may connect to, decided in one place with ipaddr.js's
 * range tables (IANA special-purpose registries) rather than a hand-written copy.
 * `lib/ssrf.ts` asks it about IP literals in URLs; the webhook sender asks it about
 * every address a host name resolved to, just before connecting.
 */
import ipaddr from "ipaddr.js";

/** Every reason an address is refused. */
export const ADDRESS_REJECTIONS = [
  "loopback_address",
  "private_address",
  "link_local",
  "cgnat_address",
  "multicast_address",
  "unspecified_address",
  "reserved_address",
] as const;
export type AddressRejection = (typeof ADDRESS_REJECTIONS)[number];

const IPV4_REASONS: Record<string, AddressRejection | null> = {
  unicast: null,
  unspecified: "unspecified_address", // 0.0.0.0/8; 0.0.0.0 reaches localhost on Linux
  loopback: "loopback_address",
  private: "private_address",
  linkLocal: "link_local", // cloud metadata services live at 169.254.169.254
  carrierGradeNat: "cgnat_address", // RFC 6598; also Alibaba Cloud's metadata service
  multicast: "multicast_address",
};

const IPV6_REASONS: Record<string, AddressRejection | null> = {
  unicast: null,
  unspecified: "unspecified_address",
  loopback: "loopback_address",
  linkLocal: "link_local",
  uniqueLocal: "private_address", // fc00::/7, AWS's metadata service at fd00:ec2::254
  deprecatedSiteLocal: "private_address",
  multicast: "multicast_address",
};

const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96"); // RFC 6052; 64:ff9b:1::/48 (RFC 8215) is local-use

/**
 * Why the server must not connect to `address`, or null when it is public unicast.
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the
 * IPv4 address they carry; anything unreadable is refused as reserved.
 * @example addressRejection("10.0.0.1") // "private_address"
 * @example addressRejection("64:ff9b::a00:1") // "private_address" (NAT64 of 10.0.0.1)
 * @example addressRejection("2606:4700:4700::1111") // null
 */
export function addressRejection(address: string): AddressRejection | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipv4Rejection(ipaddr.IPv4.parse(address));
  if (!ipaddr.IPv6.isValid(address)) return "reserved_address";
  return ipv6Rejection(ipaddr.IPv6.parse(address));
}

function ipv4Rejection(address: ipaddr.IPv4): AddressRejection | null {
  const range = address.range();
  // broadcast, reserved (TEST-NETs, 240/4, 192.0.0.0/24, 6to4 relay), as112, amt.
  return Object.hasOwn(IPV4_REASONS, range) ? IPV4_REASONS[range]! : "reserved_address";
}

function ipv6Rejection(address: ipaddr.IPv6): AddressRejection | null {
  const range = address.range();
  const parts = address.parts;
  if (range === "ipv4Mapped") return ipv4Rejection(address.toIPv4Address());
  if (range === "rfc6052") {
    return address.match(NAT64_WELL_KNOWN) ? ipv4Rejection(embeddedIpv4(parts[6]!, parts[7]!)) : "private_address";
  }
  if (range === "6to4") return ipv4Rejection(embeddedIpv4(parts[1]!, parts[2]!)); // RFC 3056
  if (!Object.hasOwn(IPV6_REASONS, range)) return "reserved_address"; // Teredo, documentation, benchmarking, …
  const reason = IPV6_REASONS[range]!;
  if (reason === null && !address.match(GLOBAL_UNICAST)) return "reserved_address"; // e.g. IPv4-compatible ::a.b.c.d
  return reason;
}

function embeddedIpv4(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * True for 127.0.0.0/8 and ::1 only: the addresses a deployment that talks to the local
 * provider simulator may reach. Not ::ffff:127.0.0.1 or NAT64 forms of it.
 */
export function isPlainLoopback(address: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipaddr.IPv4.parse(address).range() === "loopback";
  return ipaddr.IPv6.isValid(address) && ipaddr.IPv6.parse(address).range() === "loopback";
}
