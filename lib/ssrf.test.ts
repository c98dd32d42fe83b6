import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OUTBOUND_URL_REJECTIONS, checkOutboundUrl, type OutboundUrlRejection } from "./ssrf";

const REFUSED: Record<OutboundUrlRejection, string[]> = {
  invalid_url: ["not a url", "", "https://", "/relative/path", "http://a.b.c.1/", "http://1.2.3.4.5/", "http://[::1/"],
  unsupported_scheme: ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "gopher://example.com/"],
  credentials_in_url: ["https://user:pass@example.com/", "https://user@example.com/", "https://:pass@example.com/"],
  https_required: ["http://example.com/hook"],
  loopback_address: [
    "https://127.0.0.1/",
    "https://127.255.255.254/",
    "https://2130706433/",
    "https://0x7f.1/",
    "https://0x7f000001/",
    "https://017700000001/",
    "https://0177.0.0.1/",
    "https://127.1/",
    "https://%31%32%37.0.0.1/",
    "https://１２７.０.０.１/",
    "https://[::1]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[64:ff9b::127.0.0.1]/",
    "https://[2002:7f00:1::]/",
    "https://localhost/",
    "https://LOCALHOST:8080/",
    "https://localhost./",
    "https://localhost../",
  ],
  private_address: [
    "https://10.0.0.1/",
    "https://10.255.255.255/",
    "https://172.16.0.1/",
    "https://172.31.255.255/",
    "https://192.168.1.1/",
    "https://[fc00::1]/",
    "https://[fd00:ec2::254]/",
    "https://[fec0::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:a00:1]/",
    "https://[64:ff9b:1::1]/",
  ],
  link_local: [
    "https://169.254.169.254/latest/meta-data/",
    "https://169.254.0.1/",
    "https://[fe80::1]/",
    "https://[febf::1]/",
    "https://[::ffff:169.254.169.254]/",
  ],
  cgnat_address: ["https://100.64.0.1/", "https://100.127.255.255/", "https://100.100.100.200/"],
  multicast_address: ["https://224.0.0.1/", "https://239.255.255.250/", "https://[ff02::1]/"],
  unspecified_address: ["https://0.0.0.0/", "https://0/", "https://0.1.2.3/", "https://[::]/"],
  reserved_address: [
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    "https://192.0.0.8/",
    "https://192.0.2.1/",
    "https://198.18.0.1/",
    "https://198.51.100.7/",
    "https://203.0.113.9/",
    "https://192.88.99.1/",
    "https://[::2]/",
    "https://[64:1::808:808]/",
    "https://[64:ff9b:2::1]/",
    "https://[64:1:1::1]/",
    "https://[2001:db8::1]/",
    "https://[3fff::1]/",
    "https://[2001::1]/",
    "https://[::7f00:1]/",
    "https://[100::1]/",
    "https://[4000::1]/",
  ],
  internal_hostname: [
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://instance-data.ec2.internal/",
    "https://api.localhost/",
    "https://printer.local/",
    "https://nas.home.arpa/",
    "https://jira.corp/",
    "https://printer.localdomain/",
    "https://nas.lan/",
    "https://router.home/",
    "https://wiki.intranet/",
    "https://intranet/",
    "https://metadata/",
  ],
};

describe("checkOutboundUrl", () => {
  it("has examples below for every reason it can give", () => {
    expect(Object.keys(REFUSED).sort()).toEqual([...OUTBOUND_URL_REJECTIONS].sort());
  });

  for (const [reason, urls] of Object.entries(REFUSED)) {
    it.each(urls)(`refuses %s as ${reason}`, (url) => {
      expect(checkOutboundUrl(url)).toEqual({ ok: false, reason });
    });
  }

  it.each([
    "https://example.com/hook",
    "https://api.slack.com:8443/x?y=1",
    "https://8.8.8.8/",
    "https://172.32.0.1/",
    "https://172.15.255.255/",
    "https://100.63.255.255/",
    "https://100.128.0.1/",
    "https://169.255.0.1/",
    "https://[2606:4700:4700::1111]/",
    "https://[::ffff:8.8.8.8]/",
    "https://[64:ff9b::808:808]/",
    "https://[2002:808:808::1]/",
    "https://bücher.example/",
    "https://example.com./",
    // Just past the end of a refused range.
    "https://11.0.0.0/",
    "https://128.0.0.0/",
    "https://169.255.0.0/",
    "https://172.32.0.0/",
    "https://192.169.0.0/",
    "https://100.128.0.0/",
    // A name is an address only when its last label is a number.
    "https://123.com/",
    "https://a.1.example/",
    "https://example.abc123/",
    "https://example.0xyz/",
    "https://example.a0x1/",
    // IPv6 outside the special ranges, and ranges that only look alike.
    "https://[2606:4700:1:2:3:4:5:6]/",
    "https://[2606:ff9b::a00:1]/",
    "https://[2606:ff9b:1::1]/",
    "https://[2001:4860::8888]/",
    "https://[3fff:1000::1]/",
  ])("accepts the public https URL %s", (url) => {
    const result = checkOutboundUrl(url);
    expect(result.ok).toBe(true);
  });

  it("returns the parsed, normalized URL", () => {
    const result = checkOutboundUrl("HTTPS://Example.COM:443/a/../b?q=1");
    expect(result.ok && result.url.href).toBe("https://example.com/b?q=1");
  });

  it("accepts a URL object", () => {
    expect(checkOutboundUrl(new URL("https://example.com/")).ok).toBe(true);
  });

  it("names the scheme before the address, and the address before https", () => {
    expect(checkOutboundUrl("ftp://127.0.0.1/")).toEqual({ ok: false, reason: "unsupported_scheme" });
    expect(checkOutboundUrl("http://10.0.0.1/")).toEqual({ ok: false, reason: "private_address" });
    expect(checkOutboundUrl("https://u:p@127.0.0.1/")).toEqual({ ok: false, reason: "credentials_in_url" });
  });

  describe("with allowHttp", () => {
    it("accepts plain http to a public host", () => {
      expect(checkOutboundUrl("http://example.com/hook", { allowHttp: true }).ok).toBe(true);
    });

    it("still refuses loopback and private addresses", () => {
      expect(checkOutboundUrl("http://127.0.0.1/", { allowHttp: true })).toEqual({ ok: false, reason: "loopback_address" });
      expect(checkOutboundUrl("http://localhost/", { allowHttp: true })).toEqual({ ok: false, reason: "loopback_address" });
      expect(checkOutboundUrl("http://192.168.0.1/", { allowHttp: true })).toEqual({ ok: false, reason: "private_address" });
    });
  });

  describe("with allowLoopback", () => {
    it.each([
      "http://127.0.0.1:4010/oauth/token",
      "http://127.0.0.53/",
      "http://2130706433:4010/",
      "http://localhost:3000/",
      "http://localhost.:3000/",
      "http://[::1]:9000/",
      "https://127.0.0.1/",
      "http://localhost..:3000/",
    ])("accepts %s, over http too", (url) => {
      expect(checkOutboundUrl(url, { allowLoopback: true }).ok).toBe(true);
    });

    it.each([
      ["http://[::ffff:127.0.0.1]/", "loopback_address"],
      ["http://[64:ff9b::7f00:1]/", "loopback_address"],
      ["http://app.localhost/", "internal_hostname"],
      ["http://0.0.0.0/", "unspecified_address"],
      ["http://10.0.0.1/", "private_address"],
      ["http://169.254.169.254/", "link_local"],
      ["http://user:pass@127.0.0.1/", "credentials_in_url"],
    ])("still refuses %s as %s", (url, reason) => {
      expect(checkOutboundUrl(url, { allowLoopback: true })).toEqual({ ok: false, reason });
    });

    it("still requires https for public hosts", () => {
      expect(checkOutboundUrl("http://example.com/", { allowLoopback: true })).toEqual({
        ok: false,
        reason: "https_required",
      });
    });
  });
});

/**
 * A URL parser that leaves the host as written, as an incomplete runtime's might: the
 * WHATWG parser turns `0x7f.1` into `127.0.0.1` and `[::ffff:127.0.0.1]` into
 * `[::ffff:7f00:1]` before the guard sees them, so these cases reach the guard's own
 * IPv4 and IPv6 readers only through a parser like this one.
 */
class LiteralHostUrl {
  readonly protocol: string;
  readonly username = "";
  readonly password = "";
  readonly hostname: string;
  constructor(raw: string) {
    const match = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(raw);
    if (!match) throw new TypeError(`Invalid URL: ${raw}`);
    this.protocol = match[1].toLowerCase();
    this.hostname = match[2].toLowerCase();
  }
}

describe("checkOutboundUrl, when the runtime's URL parser leaves the host as written", () => {
  beforeEach(() => {
    vi.stubGlobal("URL", LiteralHostUrl);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const LITERAL_REFUSED: Array<[string, OutboundUrlRejection]> = [
    // Every IPv4 spelling of an internal address is read as that address.
    ["https://0x7f.1/", "loopback_address"],
    ["https://0x7f000001/", "loopback_address"],
    ["https://0177.0.0.1/", "loopback_address"],
    ["https://2130706433/", "loopback_address"],
    ["https://127.1/", "loopback_address"],
    ["https://127.0.0.1./", "loopback_address"],
    ["https://0x0a.0.0.1/", "private_address"],
    ["https://0x/", "unspecified_address"],
    ["https://0/", "unspecified_address"],
    ["https://4294967295/", "reserved_address"],
    // What is not an IPv4 address, though its last label is a number, is refused.
    ["https://1.2.3.4.5/", "invalid_url"],
    ["https://1.2.3.4.0/", "invalid_url"],
    ["https://256.1.1.1/", "invalid_url"],
    ["https://1.2.3.256/", "invalid_url"],
    ["https://1.2.65536/", "invalid_url"],
    ["https://4294967296/", "invalid_url"],
    ["https://08.1.2.3/", "invalid_url"],
    ["https://018.1/", "invalid_url"],
    ["https://10x1.1/", "invalid_url"],
    ["https://0x1g.1/", "invalid_url"],
    ["https://a1.1/", "invalid_url"],
    ["https://1a.1/", "invalid_url"],
    // IPv6 with an IPv4 tail is read through the tail.
    ["https://[::ffff:127.0.0.1]/", "loopback_address"],
    ["https://[::ffff:10.0.0.1]/", "private_address"],
    ["https://[::ffff:169.254.169.254]/", "link_local"],
    ["https://[64:ff9b::10.0.0.1]/", "private_address"],
    // An IPv6 literal the guard cannot read is refused.
    ["https://[::ffff:300.0.0.1]/", "reserved_address"],
    ["https://[::ffff:1.2.3.4.5]/", "reserved_address"],
    ["https://[2001:4860::1::1]/", "reserved_address"],
    ["https://[2606:4700:1:2:3:4:5:6::7::8]/", "reserved_address"],
    ["https://[2001:4860:1:2:3:4:5:6:7]/", "reserved_address"],
    ["https://[2001:4860:1:2:3:4:5::6]/", "reserved_address"],
    ["https://[2606:4700:1:2:3:4:5]/", "reserved_address"],
    ["https://[2606:4700::12345]/", "reserved_address"],
    ["https://[2606:4700::g1]/", "reserved_address"],
  ];

  it.each(LITERAL_REFUSED)("refuses %s as %s", (url, reason) => {
    expect(checkOutboundUrl(url)).toEqual({ ok: false, reason });
  });

  it.each([
    "https://1.2.65535/",
    "https://1.16777215/",
    "https://1.2.3.4./",
    "https://[::ffff:8.8.8.255]/",
    "https://[::ffff:8.8.8.88]/",
    "https://[64:ff9b::8.8.8.8]/",
    "https://[2606:4700:1:2:3:4::5]/",
    "https://[2606:4700:4700:0:0:0:0:1111]/",
  ])("accepts the public address %s", (url) => {
    expect(checkOutboundUrl(url).ok).toBe(true);
  });
});
