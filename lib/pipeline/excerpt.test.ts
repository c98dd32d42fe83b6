import { describe, expect, test } from "vitest";
import { REDACTED, redactFormBody, redactHeaders, redactJson, redactText, redactUrl, truncate } from "../redact";
import { CALL_LOG_EXCERPT_BYTES, requestExcerpt, responseExcerpt } from "./call-log";
import { boundedExcerpt, ExcerptWriter, writeBody, writeRaw, writeValue } from "./excerpt";

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

// ---------------------------------------------------------------------------------
// JSON text as providers write it, not only as JSON.stringify does: every number
// spelling, escapes, every kind of whitespace, secret-named keys over every kind of
// value, and URLs whose secrets hide in user info, fragments or encoded names.
// ---------------------------------------------------------------------------------

const SPACES = ["", "", " ", "\n", "\t", "\r\n", "  \t"];
const NUMBERS = ["0", "-0", "12", "-3.25", "1e5", "1E+2", "2.5e-3", "-7E-1", "1e400", "123456789012345678901234567890"];
const STRINGS = [
  '"plain"',
  '"with \\"escaped\\" quotes and a \\\\ backslash"',
  '"\\u0041BC caf\\u00e9"',
  '"\\ud83d\\udd11 key emoji"',
  '"lone \\ud800 surrogate"',
  '"tab\\tnew\\nline\\/slash"',
  '"brackets ] } [ { inside"',
  '"ends with a backslash \\\\"',
  `"${"é".repeat(30)}${"🔑".repeat(10)}"`,
  '"free text ?access_token=not-a-url-secret stays"',
  `"echo ${SECRETS[0]} and ${SECRETS[1].replace(/["\\]/g, "\\$&")}"`,
  // Free text is not a URL, even when it holds one: shown as redactJson shows it.
  `"free ?access_token=kept-as-text ${"y".repeat(1500)}"`,
  `"see https://api.example.test/?access_token=kept-as-text ${"y".repeat(1500)}"`,
];
const URL_STRINGS = [
  '"https://api.example.test/v1/items?page=2#top"',
  '"https://api.example.test/v1/items?page=2&access_token=q-secret"',
  '"https://ada:pa55@api.example.test/x"',
  '"https://ada@api.example.test/x?page=1"',
  '"https://app.example.test/cb#state=1&id_token=frag-secret"',
  '"https://api.example.test/x?%61ccess_token=enc-secret"',
  '"https://api.example.test/x?client+secret=plus-secret"',
  '"https://api.example.test/x?=empty&&token=amp-secret"',
  '"https://api.example.test/x?keyId=visible&name=visible"',
  '"https://api.example.test/path@not-userinfo?page=1"',
  '"ftp://files.example.test/a?password=ftp-secret"',
  '"https://ada:pa55@api.example.test"',
  '"https://api.example.test?token=nopath-secret"',
  '"https://@api.example.test/x"',
  '"https://api.example.test/x?x+auth=plus2-secret"',
  '"https://api.example.test/x?%E0token=pct-secret"',
];
const KEY_NAMES = ["id", "name", "next", "items", "access_token", "client_secret", "x-api-key", "password", "keyId", "sessionCount", "caf\\u00e9", 'q\\"uote'];
const PLAIN_KEY_NAMES = ["id", "name", "next", "items", "keyId", "caf\\u00e9", 'q\\"uote'];

/** Random JSON text; a document (depth 0) is always an object or an array. */
function jsonText(next: () => number, depth: number, keys: readonly string[] = KEY_NAMES): string {
  const space = () => SPACES[Math.floor(next() * SPACES.length)]!;
  const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const roll = depth === 0 ? 0.4 + next() * 0.6 : next();
  if (depth > 5 || roll < 0.4) {
    const kind = next();
    if (kind < 0.25) return pick(NUMBERS);
    if (kind < 0.35) return pick(["true", "false", "null"]);
    if (kind < 0.6) return pick(URL_STRINGS);
    if (kind < 0.7) return `"${"x".repeat(Math.floor(next() * 600))}"`;
    return pick(STRINGS);
  }
  if (roll < 0.65) {
    const items = Array.from({ length: Math.floor(next() * 5) }, () => `${space()}${jsonText(next, depth + 1, keys)}${space()}`);
    return items.length === 0 ? `[${space()}]` : `[${items.join(",")}]`;
  }
  const members = Array.from(
    { length: Math.floor(next() * 5) },
    (_, i) => `${space()}"${pick(keys)}${i}"${space()}:${space()}${jsonText(next, depth + 1, keys)}${space()}`,
  );
  return members.length === 0 ? `{${space()}}` : `{${members.join(",")}}`;
}

/** What the bounded walk must agree with: the whole body parsed, redacted, serialised and redacted by value. */
function wholeBody(body: string, contentType: string | null, secrets: readonly string[]): string {
  if (body === "") return "null";
  return redactText(JSON.stringify(wholeDocumentBody(body, contentType)), secrets);
}

function excerptOf(body: string, contentType: string | null, secrets: readonly string[], maxBytes: number): string {
  return boundedExcerpt((writer) => writeBody(writer, body, contentType), secrets, maxBytes);
}

/** The excerpt is the whole when the whole fits, else a marked prefix of it; never longer than the budget, never a secret. */
function expectAgreement(body: string, contentType: string | null, secrets: readonly string[], maxBytes: number) {
  const whole = wholeBody(body, contentType, secrets);
  const excerpt = excerptOf(body, contentType, secrets, maxBytes);
  expect(bytes(excerpt)).toBeLessThanOrEqual(maxBytes);
  if (bytes(whole) <= maxBytes) {
    expect(excerpt).toBe(whole);
  } else {
    expect(excerpt).toMatch(MARKER);
    expect(whole.startsWith(kept(excerpt))).toBe(true);
  }
  for (const secret of [...secrets, "q-secret", "pa55", "frag-secret", "enc-secret", "plus-secret", "amp-secret", "ftp-secret", "nopath-secret", "plus2-secret", "pct-secret"]) {
    expect(excerpt).not.toContain(secret);
  }
  return { whole, excerpt };
}

describe("the bounded walk over JSON as providers write it, at every budget", () => {
  test("agrees with redacting the whole document for 800 random documents and budgets", () => {
    const next = random(2026);
    let fitted = 0;
    let cut = 0;
    for (let i = 0; i < 800; i++) {
      const body = `${SPACES[i % SPACES.length]}${jsonText(next, 0)}${SPACES[(i * 3) % SPACES.length]}`;
      expect(() => JSON.parse(body)).not.toThrow();
      const maxBytes = i % 4 === 0 ? 5_000 : 30 + Math.floor(next() * 900);
      const { excerpt } = expectAgreement(body, i % 3 === 0 ? null : "application/json", SECRETS, maxBytes);
      if (MARKER.test(excerpt)) cut++;
      else fitted++;
    }
    expect(fitted).toBeGreaterThan(150);
    expect(cut).toBeGreaterThan(150);
  });

  // A secret-named key's value is skipped, not checked: breaking it would leave a body the
  // walk still hides as JSON, so these documents have no such keys.
  test("a body that is not JSON after all, however it fails, reads as its text when it fits", () => {
    const next = random(99);
    const breakers = ["", "}", "]", ",", ":", '"', "x", "01", "tru", "nul", "1.", "-", "{", "[", "\\"];
    let checked = 0;
    for (let i = 0; i < 600; i++) {
      const valid = jsonText(next, 0, PLAIN_KEY_NAMES);
      const at = Math.floor(next() * (valid.length + 1));
      const broken = valid.slice(0, at) + breakers[i % breakers.length] + valid.slice(at + (i % 2));
      let parses = true;
      try {
        JSON.parse(broken);
      } catch {
        parses = false;
      }
      if (parses || broken.trim() === "") continue;
      checked++;
      expect(excerptOf(broken, "application/json", [], 100_000)).toBe(JSON.stringify(broken));
    }
    expect(checked).toBeGreaterThan(200);
  });

  test("forms and text at every budget, cut between characters, never inside a surrogate pair", () => {
    const next = random(5);
    const pairs = ["a=1", "", "=x", "token=form-secret", "access%5Ftoken=enc", "x+auth=plus", "note=caf%C3%A9", "flag", `echo=${encodeURIComponent(SECRETS[0])}`];
    for (let i = 0; i < 300; i++) {
      const form = Array.from({ length: 1 + Math.floor(next() * 40) }, () => pairs[Math.floor(next() * pairs.length)]).join("&");
      const maxBytes = 30 + Math.floor(next() * 600);
      const { excerpt } = expectAgreement(form, "application/x-www-form-urlencoded", SECRETS, maxBytes);
      expect(excerpt).not.toMatch(/form-secret|=enc\b|=plus/);
      const text = Array.from({ length: 1 + Math.floor(next() * 200) }, () => ["a", "é", "🔑", "\n", '"', SECRETS[2]][Math.floor(next() * 6)]).join("");
      const shown = expectAgreement(text, "text/plain", SECRETS, maxBytes).excerpt;
      expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });

  test("nothing, or an empty body, is null whatever the type", () => {
    for (const body of [null, undefined, ""]) {
      for (const type of [null, "application/json", "text/plain"]) expect(excerptOf(body as never, type, [], 100)).toBe("null");
    }
  });
});

describe("ExcerptWriter and boundedExcerpt", () => {
  test("the writer counts what it holds, the room left and when it is full, and rewinds to a mark", () => {
    const writer = new ExcerptWriter(10);
    writer.write("abc");
    expect([writer.length, writer.room, writer.full]).toEqual([3, 7, false]);
    const mark = writer.mark();
    writer.write("defghij");
    expect([writer.length, writer.room, writer.full]).toEqual([10, 0, true]);
    writer.rewind(mark);
    expect([writer.length, writer.room, writer.full, writer.text()]).toEqual([3, 7, false, "abc"]);
  });

  test("a producer's own error is not swallowed", () => {
    expect(() =>
      boundedExcerpt(
        () => {
          throw new TypeError("producer broke");
        },
        [],
        100,
      ),
    ).toThrow("producer broke");
  });

  test("values and raw pieces stop the production once the budget is reached", () => {
    const excerpt = boundedExcerpt(
      (writer) => {
        for (let i = 0; i < 100; i++) {
          writeRaw(writer, i === 0 ? "[" : ",");
          writeValue(writer, { n: i, when: undefined });
        }
        writeRaw(writer, "]");
      },
      [],
      60,
    );
    expect(bytes(excerpt)).toBeLessThanOrEqual(60);
    expect(excerpt).toMatch(/^\[\{"n":0\},\{"n":1\}/);
    expect(excerpt).toMatch(MARKER);
    expect(boundedExcerpt((writer) => writeValue(writer, undefined), [], 10)).toBe("null");
  });

  test("a budget smaller than the marker cuts without one, between characters", () => {
    const excerpt = excerptOf("é".repeat(5_000), "text/plain", [], 10);
    expect(excerpt).toBe(`"${"é".repeat(4)}`);
  });
});

describe("the walk's edges", () => {
  test.each(['{"a":1]', '{"a":1 x}', "[1}", '{"a" 1}', "{1:2}", '["a" "b"]', "[tru]", "[nul]", '{"a":"unterminated', '{"a":"b\\"}', '{"password":}', '{"password":1', "[1,]", '{"a":1,}', "[01]", "[-]", "[1.]"])(
    "%j is not JSON: it reads as its text",
    (body) => {
      expect(excerptOf(body, "application/json", [], 10_000)).toBe(JSON.stringify(body));
    },
  );

  test("objects nested past 64 levels read [Too deep], as redactJson writes it", () => {
    const body = `${'{"a":'.repeat(100)}1${"}".repeat(100)}`;
    expect(excerptOf(body, "application/json", [], 100_000)).toBe(wholeBody(body, "application/json", []));
    expect(excerptOf(body, "application/json", [], 100_000)).toContain('"[Too deep]"');
  });

  test("keys that are secret only as a whole name (an OAuth code, a PIN) are redacted", () => {
    const body = '{"code":"oauth-code-secret","pin":"1234","statusCode":200}';
    expect(excerptOf(body, "application/json", [], 10_000)).toBe(`{"code":"${REDACTED}","pin":"${REDACTED}","statusCode":200}`);
  });

  test("URLs that hide nothing are shown exactly as sent, not normalised", () => {
    for (const url of [
      "HTTPS://API.Example.test/no-query",
      "HTTPS://TOKEN.Example.test/x?page=1",
      "HTTPS://API.Example.test/x?page=token&v=2#TOP",
      "HTTPS://API.Example.test/x?&page=1",
      "HTTPS://API.Example.test/x?%7Epage=1",
      "HTTPS://API.Example.test/path@v2/x",
      "HTTPS://API.Example.test/reset-password",
      "HTTPS://API.Example.test/x?pin1",
      "HTTPS://API.Example.test/x?a=token",
    ]) {
      expect(excerptOf(JSON.stringify({ next: url }), "application/json", [], 10_000)).toBe(JSON.stringify({ next: url }));
    }
  });

  test("a budget of exactly the marker's size holds the marker alone; one byte less, a plain cut", () => {
    expect(excerptOf("a".repeat(10_000), "text/plain", [], 26)).toBe("…[truncated 10001 bytes]");
    expect(excerptOf("a".repeat(10_000), "text/plain", [], 25)).toBe(`"${"a".repeat(24)}`);
  });
});

describe("the marker says how much is missing", () => {
  // Canonical JSON of ASCII values and text: the input never read is as long as its part of the whole.
  const missing = (whole: string, excerpt: string) => bytes(whole) - bytes(kept(excerpt));
  const dropped = (excerpt: string) => Number(MARKER.exec(excerpt)![1]);

  test("for JSON, text and forms cut at random budgets, within the closing quote and one pair", () => {
    const next = random(11);
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const maxBytes = 40 + Math.floor(next() * 800);
      const document = Array.from({ length: 1 + Math.floor(next() * 40) }, (_, j) =>
        next() < 0.5 ? { id: j, name: "n".repeat(Math.floor(next() * 90)), ok: next() < 0.5, list: [1, 2, 3] } : "s".repeat(Math.floor(next() * 120)),
      );
      const json = JSON.stringify(document);
      const text = "t".repeat(1 + Math.floor(next() * 3_000));
      const form = Array.from({ length: 1 + Math.floor(next() * 200) }, (_, j) => `f${j}=${"v".repeat(j % 13)}`).join("&");
      for (const [body, type, slack] of [
        [json, "application/json", 1],
        [text, "text/plain", 1],
        [form, "application/x-www-form-urlencoded", 20],
      ] as const) {
        const whole = wholeBody(body, type, []);
        const excerpt = excerptOf(body, type, [], maxBytes);
        if (!MARKER.test(excerpt)) continue;
        checked++;
        expect(dropped(excerpt)).toBeLessThanOrEqual(missing(whole, excerpt));
        expect(dropped(excerpt), `${type} at ${maxBytes}: ${excerpt.slice(-80)}`).toBeGreaterThanOrEqual(missing(whole, excerpt) - slack);
      }
    }
    expect(checked).toBeGreaterThan(400);
  });
});
