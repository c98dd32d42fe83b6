import { describe, expect, it } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { actionSpec } from "../spec";
import { buildRequest, parseInput, readAnswer } from "../prepare";
import { scopeNames } from "../scopes";
import { getProvider } from "../../providers";
import {
  addressHeader,
  base64Lines,
  encodedWords,
  gmailActions,
  gmailSendEmail,
  MIME_BOUNDARY,
  mimeMessage,
  rawMessage,
  subjectHeader,
} from "./gmail";

const context: ActionContext = { config: {}, scopes: [], correlationId: "run_1" };

function answer(status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer {
  return { status, headers, body: json === undefined ? "" : JSON.stringify(json), json };
}

function requestOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return action.request(parsed.input, context);
}

function fieldsOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  return parsed.ok ? null : parsed.error.fields;
}

function read(given: ActionAnswer) {
  const parsed = parseInput(gmailSendEmail, { to: ["ada@example.com"], subject: "s", text: "t" });
  if (!parsed.ok) throw new Error("bad input");
  return readAnswer(gmailSendEmail, parsed.input, given, "Gmail");
}

const decode = (raw: string) => Buffer.from(raw, "base64url").toString("utf8");
const utf8Of = (base64: string) => Buffer.from(base64.replace(/\r\n/g, ""), "base64").toString("utf8");

describe("the message", () => {
  it("is headers, a blank line and the base64 body, every line ending in CRLF", () => {
    expect(mimeMessage({ to: ["ada@example.com"], subject: "Hello", text: "Hi Ada" })).toBe(
      [
        "To: ada@example.com",
        "Subject: Hello",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        "",
        "SGkgQWRh",
      ].join("\r\n"),
    );
  });

  it("has Cc and Bcc when given, and an HTML alternative after the text", () => {
    const message = mimeMessage({ to: ["a@example.com"], cc: ["c@example.com"], bcc: ["b@example.com"], subject: "S", text: "plain", html: "<p>rich</p>" });
    expect(message).toBe(
      [
        "To: a@example.com",
        "Cc: c@example.com",
        "Bcc: b@example.com",
        "Subject: S",
        "MIME-Version: 1.0",
        `Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`,
        "",
        `--${MIME_BOUNDARY}`,
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        "",
        "cGxhaW4=",
        `--${MIME_BOUNDARY}`,
        "Content-Type: text/html; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        "",
        "PHA+cmljaDwvcD4=",
        `--${MIME_BOUNDARY}--`,
        "",
      ].join("\r\n"),
    );
    expect(MIME_BOUNDARY).toBe("=_switchboard_alternative");
    expect(mimeMessage({ to: ["a@example.com"], cc: [], bcc: [], subject: "S", text: "x" })).not.toMatch(/Cc:|Bcc:/);
  });

  it("folds an address list before an address that would pass 78 characters", () => {
    const many = Array.from({ length: 6 }, (_, i) => `person${i}@example.com`);
    const header = addressHeader("To", many);
    expect(header).toBe(
      ["To: person0@example.com, person1@example.com, person2@example.com,", " person3@example.com, person4@example.com, person5@example.com"].join("\r\n"),
    );
    for (const line of header.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
    // Exactly 78 characters still fits on the line.
    const fits = addressHeader("To", ["a".repeat(40) + "@example.com", "b".repeat(13) + "@ex.com"]);
    expect(fits).toBe(`To: ${"a".repeat(40)}@example.com, ${"b".repeat(13)}@ex.com`);
    expect(fits).toHaveLength(78);
    expect(addressHeader("To", ["a".repeat(40) + "@example.com", "b".repeat(14) + "@ex.com"])).toContain(",\r\n b");
  });

  it("encodes a subject that is not printable ASCII as UTF-8 encoded-words of at most 75 characters, on whole characters", () => {
    expect(subjectHeader("Plain ASCII ~!")).toBe("Subject: Plain ASCII ~!");
    expect(subjectHeader("")).toBe("Subject: ");
    expect(subjectHeader("Café")).toBe("Subject: =?UTF-8?B?Q2Fmw6k=?=");
    expect(subjectHeader("tab\there")).toBe(`Subject: =?UTF-8?B?${Buffer.from("tab\there").toString("base64")}?=`);
    const long = "Ünïcödé ".repeat(12) + "😀".repeat(20);
    const words = encodedWords(long).split("\r\n ");
    expect(words.length).toBeGreaterThan(1);
    let decoded = "";
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      const inner = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word)![1]!;
      const bytes = Buffer.from(inner, "base64");
      expect(bytes.length).toBeLessThanOrEqual(45);
      // Each word is valid UTF-8 on its own: no character is split.
      expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toBe(bytes.toString("utf8"));
      decoded += bytes.toString("utf8");
    }
    expect(decoded).toBe(long);
    // 45 one-byte characters are one word; the 46th starts another.
    expect(encodedWords("é" + "a".repeat(43))).not.toContain("\r\n");
    expect(encodedWords("é" + "a".repeat(44)).split("\r\n ")).toHaveLength(2);
  });

  it("refuses a line break in any header value", () => {
    expect(() => subjectHeader("Hi\r\nBcc: evil@example.com")).toThrow("A header value cannot hold a line break.");
    expect(() => subjectHeader("Hi\nBcc: evil@example.com")).toThrow("A header value cannot hold a line break.");
    expect(() => addressHeader("To", ["a@example.com\r\nBcc: evil@example.com"])).toThrow("A header value cannot hold a line break.");
    expect(() => addressHeader("To", ["a@example.com", "b@example.com\rX: y"])).toThrow("A header value cannot hold a line break.");
  });

  it("writes bodies as base64 lines of 76 characters", () => {
    const text = "x".repeat(200) + " — fin";
    const lines = base64Lines(text).split("\r\n");
    expect(lines.slice(0, -1).every((line) => line.length === 76)).toBe(true);
    expect(lines.at(-1)!.length).toBeLessThanOrEqual(76);
    expect(utf8Of(base64Lines(text))).toBe(text);
    expect(base64Lines("")).toBe("");
  });

  it("is sent as padded base64url", () => {
    expect(rawMessage("a>?")).toBe("YT4_");
    expect(rawMessage("ab~~")).toBe("YWJ-fg==");
    expect(decode(rawMessage("Ünïcödé"))).toBe("Ünïcödé");
  });
});

describe("gmail.send_email", () => {
  it("posts the raw message to the user's messages/send", () => {
    const request = requestOf(gmailSendEmail, { to: [" ada@example.com "], subject: "Réunion", text: "À demain" });
    expect(request).toStrictEqual({
      method: "POST",
      path: "/gmail/v1/users/me/messages/send",
      headers: { Accept: "application/json" },
      body: { json: { raw: expect.any(String) } },
    });
    const message = decode((request.body as { json: { raw: string } }).json.raw);
    expect(message).toBe(mimeMessage({ to: ["ada@example.com"], subject: "Réunion", text: "À demain" }));
    expect(message).toContain("Subject: =?UTF-8?B?UsOpdW5pb24=?=");
    expect(utf8Of(message.split("\r\n\r\n")[1]!)).toBe("À demain");
  });

  it("refuses header injection, bad addresses and an empty message before anything is built", () => {
    expect(fieldsOf(gmailSendEmail, { to: [], subject: "Hi\r\nBcc: evil@example.com", text: "" })).toEqual({
      to: "Add at least one recipient.",
      subject: "A subject is one line.",
      text: "Write the message.",
    });
    expect(fieldsOf(gmailSendEmail, { to: ["ada@example.com\r\nBcc: evil@example.com"], cc: ["nope"], bcc: ["x@"], subject: "s\rt", text: "x" })).toEqual({
      "to.0": "An email address like ada@example.com.",
      "cc.0": "An email address like ada@example.com.",
      "bcc.0": "An email address like ada@example.com.",
      subject: "A subject is one line.",
    });
    const hundredAndOne = Array.from({ length: 101 }, (_, i) => `p${i}@example.com`);
    expect(fieldsOf(gmailSendEmail, { to: hundredAndOne, subject: "s".repeat(901), text: "t".repeat(1_000_001), html: "h".repeat(1_000_001) })).toEqual({
      to: "At most 100 addresses.",
      subject: "Keep the subject under 900 characters.",
      text: "Keep the message under 1,000,000 characters.",
      html: "Keep the HTML under 1,000,000 characters.",
    });
    expect(fieldsOf(gmailSendEmail, { to: hundredAndOne.slice(1), subject: "s".repeat(900), text: "t" })).toBeNull();
    // Even past the schema, the builder refuses (the runner answers invalid_input).
    const built = buildRequest(gmailSendEmail, { to: ["a@example.com"], subject: "x\nBcc: e@example.com", text: "t" }, context);
    expect(built).toEqual({ ok: false, error: { code: "invalid_input", message: "A header value cannot hold a line break.", retryable: false } });
  });

  it("answers the message and thread ids", () => {
    expect(read(answer(200, { id: "18c1", threadId: "18c0", labelIds: ["SENT"] }))).toEqual({ ok: true, output: { id: "18c1", threadId: "18c0" } });
  });

  it("blames the header Gmail names", () => {
    const refused = (message: string) => {
      const result = read(answer(400, { error: { code: 400, message, errors: [{ reason: "invalidArgument", message, domain: "global" }], status: "INVALID_ARGUMENT" } }));
      return result.ok ? null : result.error.fields;
    };
    expect(refused("Invalid To header")).toEqual({ to: "Invalid To header" });
    expect(refused("Recipient address required")).toEqual({ to: "Recipient address required" });
    expect(refused("Invalid Cc header")).toEqual({ cc: "Invalid Cc header" });
    expect(refused("Invalid Bcc header")).toEqual({ bcc: "Invalid Bcc header" });
    expect(refused("Invalid Subject header")).toEqual({ subject: "Invalid Subject header" });
    expect(refused("Invalid value for ByteString")).toBeUndefined();
    expect(refused("Tomorrow")).toBeUndefined();
    const limited = read(answer(429, { error: { code: 429, message: "User-rate limit exceeded.", status: "RESOURCE_EXHAUSTED" } }, { "retry-after": "60" }));
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterMs: 60_000, message: "Gmail is rate limiting these requests: User-rate limit exceeded." } });
  });
});

describe("the Gmail actions", () => {
  it("name only scopes the catalog knows for Gmail", () => {
    const gmail = getProvider("gmail");
    if (gmail?.authKind !== "oauth2") throw new Error("Gmail is an OAuth provider");
    const known = new Set([...gmail.defaultScopes, ...gmail.optionalScopes.map((scope) => scope.scope)]);
    for (const action of gmailActions) {
      expect(action.providerId).toBe("gmail");
      expect(action.id.startsWith("gmail.")).toBe(true);
      for (const scope of scopeNames(action.scopes)) expect(known.has(scope)).toBe(true);
    }
    expect(gmailSendEmail.scopes).toEqual([
      ["https://www.googleapis.com/auth/gmail.send", "https://www.googleapis.com/auth/gmail.compose", "https://www.googleapis.com/auth/gmail.modify"],
    ]);
  });

  it("describe themselves to forms", () => {
    expect(gmailActions.map((action) => actionSpec(action))).toMatchSnapshot();
  });
});
