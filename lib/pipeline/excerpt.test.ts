import { describe, expect, test } from "vitest";
import { REDACTED, redactFormBody, redactHeaders, redactJson, redactText, redactUrl, truncate } from "../redact";
import { CALL_LOG_EXCERPT_BYTES, requestExcerpt, responseExcerpt } from "./call-log";

const bytes = (text: string) => new TextEncoder().encode(text).length;
const JSON_TYPE = { "content-type": "application/json" };
const MARKER = /…\[truncated (\d+) bytes\]$/;

/**
 * What the excerpt was before it was bounded: parse and redact the whole document,
 * serialise it, redact by value, then cut. The bounded walk must agree with it.
 */
function wholeDocumentBody(body: string, contentType: string | null): unknown {
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json") || /^\s*[[{]/.test(body)) {
    try {
      return redactJson(JSON.parse(body));
    } catch {
      // text
    }
  }
  if (type.includes("x-www-form-urlencoded")) return redactFormBody(body);
  return body;
}

/** The whole redacted response excerpt, before any cut. */
function wholeResponse(body: string, secrets: string[], headers: Record<string, string> = JSON_TYPE) {
  const value = { status: 200, headers: redactHeaders(headers), body: body === "" ? null : wholeDocumentBody(body, headers["content-type"] ?? null) };
  return redactText(JSON.stringify(value), secrets);
}

/** The part of an excerpt before its marker. */
const kept = (excerpt: string) => excerpt.replace(MARKER, "");

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const KEYS = ["id", "name", "title", "url", "items", "access_token", "refreshToken", "client_secret", "note", "count", "nested", "x-api-key", "keyId", "user", "é", 'q"uote'];
const SECRETS = ["gho_S3cretValue0123456789", "s/ash\"quote+plus", "ünïcødé-sëcret"];

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 4 || pick < 0.35) {
    const kinds = [
      () => Math.floor(next() * 1e6) / (next() < 0.5 ? 1 : 100),
      () => next() < 0.5,
      () => null,
      () => "plain text with \"quotes\", \\ backslashes, \n newlines, \u0001 and é ✓ 🔑",
      () => `https://api.example.test/v1/things/${Math.floor(next() * 100)}?access_token=${SECRETS[0]}&page=2`,
      () => `https://api.example.test/v1/things/${Math.floor(next() * 100)}`,
      () => `https://api.example.test/v1/things?page=${Math.floor(next() * 100)}&v=4#top`,
      () => `echo ${SECRETS[Math.floor(next() * SECRETS.length)]} back`,
      () => "x".repeat(Math.floor(next() * 400)),
    ];
    return kinds[Math.floor(next() * kinds.length)]!();
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(next() * 6) }, (_, i) => [`${KEYS[Math.floor(next() * KEYS.length)]}${i}`, randomValue(next, depth + 1)]),
  );
}

describe("the bounded excerpt agrees with redacting the whole document", () => {
  test("whole when it fits, and a prefix of it when it is cut, for 400 random documents", () => {
    const next = random(42);
    let cut = 0;
    for (let i = 0; i < 400; i++) {
      const document = randomValue(next, 0);
      // Pretty-printed half the time: the walk drops the whitespace JSON.stringify would.
      const body = JSON.stringify(document, null, i % 2 ? 2 : undefined);
      const whole = wholeResponse(body, SECRETS);
      const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body }, SECRETS);
      expect(bytes(excerpt)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
      if (bytes(whole) <= CALL_LOG_EXCERPT_BYTES) {
        expect(excerpt).toBe(whole);
      } else {
        cut++;
        expect(excerpt).toMatch(MARKER);
        expect(whole.startsWith(kept(excerpt))).toBe(true);
        // Cut right at the budget: only the marker and a character boundary are missing.
        expect(bytes(kept(excerpt))).toBeGreaterThan(CALL_LOG_EXCERPT_BYTES - 64);
      }
      for (const secret of SECRETS) expect(excerpt).not.toContain(secret);
    }
    expect(cut).toBeGreaterThan(20);
  });

  test("matches the whole-document excerpt byte for byte when nothing is cut (the existing format)", () => {
    const body = JSON.stringify({ access_token: "new", user: { login: "ada", password: { a: 1 } }, next: "https://x.test/a?token=t&b=1", n: 1.5e3, e: "\u00e9\t" });
    expect(responseExcerpt({ status: 201, headers: JSON_TYPE, body }, [])).toBe(
      truncate(JSON.stringify({ status: 201, headers: JSON_TYPE, body: redactJson(JSON.parse(body)) }), CALL_LOG_EXCERPT_BYTES),
    );
  });

  test("not JSON after all (despite the type): the text, as before", () => {
    for (const body of ["{not json", '{"a": 1} trailing', '{"a": 01}', "[1, 2,]", '{"a": "raw\u0001control"}']) {
      expect(responseExcerpt({ status: 200, headers: JSON_TYPE, body }, [])).toBe(wholeResponse(body, []));
    }
  });

  test("nesting past 64 levels reads [Too deep], as redactJson writes it", () => {
    const body = `${"[".repeat(100)}"bottom"${"]".repeat(100)}`;
    expect(responseExcerpt({ status: 200, headers: JSON_TYPE, body }, [])).toBe(wholeResponse(body, []));
    expect(responseExcerpt({ status: 200, headers: JSON_TYPE, body }, [])).toContain('"[Too deep]"');
  });
});

describe("a huge body", () => {
  // 4 MB of records, the pipeline's read cap, each with a token and a password.
  const records = Array.from({ length: 12_000 }, (_, i) =>
    JSON.stringify({ id: i, name: `record ${i}`, access_token: `tok_${i}_${"z".repeat(200)}`, profile: { password: `pw_${i}` }, bio: "b".repeat(100) }),
  );
  const huge = `[${records.join(",")}]`;

  test("is cut to 2 KB with a marker, redacted by key all the way to the cut", () => {
    expect(huge.length).toBeGreaterThan(4_000_000);
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body: huge }, []);
    expect(bytes(excerpt)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
    const [, dropped] = MARKER.exec(excerpt)!;
    // About what was left out: most of the 4 MB.
    expect(Number(dropped)).toBeGreaterThan(huge.length - 10_000);
    expect(excerpt.startsWith('{"status":200,"headers":{"content-type":"application/json"},"body":[{"id":0,"name":"record 0","access_token":"[REDACTED]","profile":{"password":"[REDACTED]"}')).toBe(true);
    expect(excerpt).not.toMatch(/tok_|pw_/);
    expect(wholeResponse(huge, []).startsWith(kept(excerpt))).toBe(true);
  });

  test("is never read past the cut: what follows it may be anything", () => {
    // Were the whole body parsed, the garbage would make it text; the walk never gets there.
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body: `${huge.slice(0, -1)},this is not JSON` }, []);
    expect(excerpt).toContain('"access_token":"[REDACTED]"');
    expect(excerpt).toMatch(MARKER);
  });

  test("as text or a form, is cut the same way", () => {
    const text = "t".repeat(3_000_000);
    const excerpt = responseExcerpt({ status: 200, headers: { "content-type": "text/plain" }, body: text }, []);
    expect(bytes(excerpt)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
    expect(kept(excerpt)).toBe(kept(truncate(wholeResponse(text, [], { "content-type": "text/plain" }), CALL_LOG_EXCERPT_BYTES)));

    const form = Array.from({ length: 50_000 }, (_, i) => `field${i}=v${i}&client_secret=sh${i}`).join("&");
    const formExcerpt = requestExcerpt({ method: "POST", path: "/x", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form }, []);
    expect(formExcerpt).toMatch(MARKER);
    expect(formExcerpt).toContain(`client_secret=${REDACTED}`);
    expect(formExcerpt).not.toMatch(/client_secret=sh/);
  });

  test("a body that used to be too big to log is now excerpted instead", () => {
    const text = responseExcerpt({ status: 200, headers: {}, body: "x".repeat(1_000_001) }, []);
    expect(text).toMatch(MARKER);
    expect(text).toContain('"body":"xxxx');
  });
});

describe("secrets around the cut", () => {
  test("keys named like secrets deep in the structure before the cut are redacted whole, objects included", () => {
    let nested: unknown = { client_secret: "deep-secret-1", apiKey: { value: "deep-secret-2" }, keep: "visible" };
    for (let i = 0; i < 40; i++) nested = { [`level${i}`]: nested, pad: "p".repeat(5) };
    const body = JSON.stringify([nested, "q".repeat(100_000)]);
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body }, []);
    expect(excerpt).toMatch(MARKER);
    expect(excerpt).toContain(`"client_secret":"${REDACTED}","apiKey":"${REDACTED}","keep":"visible"`);
    expect(excerpt).not.toContain("deep-secret");
  });

  test("a secret-named key just before the cut hides its value even when the value runs far past it", () => {
    for (let pad = 1_950; pad <= 2_100; pad += 7) {
      const body = JSON.stringify({ pad: "p".repeat(pad), refresh_token: `rt-${"r".repeat(10_000)}` });
      const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body }, []);
      expect(excerpt).not.toContain("rt-");
    }
  });

  test.each([
    ["in a JSON string", (filler: string, secret: string) => ({ body: JSON.stringify({ note: `${filler}${secret}${"b".repeat(5_000)}` }), headers: JSON_TYPE })],
    ["between JSON values", (filler: string, secret: string) => ({ body: JSON.stringify([filler, secret, "b".repeat(5_000)]), headers: JSON_TYPE })],
    ["in text", (filler: string, secret: string) => ({ body: `${filler}${secret}${"b".repeat(5_000)}`, headers: { "content-type": "text/plain" } })],
    ["URL-encoded in a form", (filler: string, secret: string) => ({ body: `a=${filler}&echo=${encodeURIComponent(secret)}&b=${"b".repeat(5_000)}`, headers: { "content-type": "application/x-www-form-urlencoded" } })],
  ])("a known secret value %s that straddles the cut never shows, not even in part", (_, make) => {
    // Long and distinctive, with characters JSON and URLs escape, so every spelling is exercised.
    const secret = `SeCrEt/"+${"k".repeat(150)}-end`;
    for (let offset = 1_700; offset <= 2_100; offset += 3) {
      const { body, headers } = make("a".repeat(offset), secret);
      const excerpt = responseExcerpt({ status: 200, headers, body }, [secret]);
      expect(bytes(excerpt)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
      expect(excerpt).toMatch(MARKER);
      expect(excerpt).not.toMatch(/SeC|kkkkk|-end/);
    }
  });

  test("a secret longer than the whole excerpt is hidden too", () => {
    const secret = `LONG${"s".repeat(5_000)}`;
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body: JSON.stringify({ echo: `${secret}${secret}`, more: "m".repeat(10_000) }) }, [secret]);
    expect(excerpt).toMatch(MARKER);
    expect(excerpt).not.toMatch(/LONG|ssss/);
    expect(excerpt).toContain(REDACTED);
  });

  test("URLs are redacted as redactUrl does whenever it would hide something, and otherwise shown as sent", () => {
    const urls = {
      userinfo: "https://ada:pa55@api.example.test/x",
      encodedName: "https://api.example.test/x?access%5Ftoken=enc-secret&a=1",
      plusName: "https://api.example.test/x?client+secret=plus-secret",
      fragment: "https://app.example.test/cb#state=1&id_token=frag-secret",
      upper: "HTTPS://API.example.test/x?Refresh_Token=up-secret",
      harmless: "HTTPS://API.Example.test/a b?page=2&v=4",
    };
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body: JSON.stringify(urls) }, []);
    const shown = JSON.parse(excerpt).body as Record<string, string>;
    for (const name of ["userinfo", "encodedName", "plusName", "fragment", "upper"] as const) {
      expect(shown[name]).toBe(redactUrl(urls[name]));
      expect(shown[name]).toContain(REDACTED);
    }
    expect(excerpt).not.toMatch(/pa55|enc-secret|plus-secret|frag-secret|up-secret/);
    expect(shown.harmless).toBe(urls.harmless);
  });

  test("a URL cut in its query still has its secret parameters redacted", () => {
    const url = `https://api.example.test/next?${"p=1&".repeat(400)}access_token=at-secret-value&${"q=2&".repeat(2_000)}`;
    const excerpt = responseExcerpt({ status: 200, headers: JSON_TYPE, body: JSON.stringify({ next: url }) }, []);
    expect(excerpt).toMatch(MARKER);
    expect(excerpt).toContain(`access_token=${REDACTED}`);
    expect(excerpt).not.toContain("at-secret-value");
    expect(redactUrl(url)).toContain(`access_token=${REDACTED}`);
  });
});
