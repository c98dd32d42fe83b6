import { describe, expect, it } from "vitest";
import { escapeHtml, mailRequest, readMailAnswer, type MailMessage } from "./message";

const message: MailMessage = {
  from: "Switchboard <no-reply@example.com>",
  to: "ada@example.com",
  subject: "Hello",
  text: "Hi Ada",
  html: "<p>Hi Ada</p>",
};

describe("escapeHtml", () => {
  it("escapes the five characters that matter in HTML text and attributes", () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
    expect(escapeHtml("plain")).toBe("plain");
  });
});

describe("mailRequest", () => {
  it("posts the message as JSON to <base>/emails with the key as a bearer token", () => {
    const request = mailRequest({ apiUrl: "https://api.resend.com", apiKey: "re_key", from: message.from }, message);
    expect(request.url.href).toBe("https://api.resend.com/emails");
    expect(request.headers.get("authorization")).toBe("Bearer re_key");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.headers.get("accept")).toBe("application/json");
    expect(request.headers.get("user-agent")).toBe("Switchboard/1.0");
    expect(JSON.parse(request.body)).toEqual(message);
  });

  it("keeps the base's path and drops trailing slashes", () => {
    expect(mailRequest({ apiUrl: "http://127.0.0.1:3400/email-api//", apiKey: "k", from: "a@b.co" }, message).url.href).toBe(
      "http://127.0.0.1:3400/email-api/emails",
    );
  });

  it("sends only the message's fields", () => {
    const extra = { ...message, bcc: "spy@example.com" } as MailMessage;
    expect(Object.keys(JSON.parse(mailRequest({ apiUrl: "https://api.resend.com", apiKey: "k", from: "a@b.co" }, extra).body))).toEqual([
      "from",
      "to",
      "subject",
      "text",
      "html",
    ]);
  });
});

describe("readMailAnswer", () => {
  it("reads a 2xx with an id as accepted", () => {
    expect(readMailAnswer(200, '{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}')).toEqual({ ok: true, id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" });
    expect(readMailAnswer(201, '{"id":"x"}')).toEqual({ ok: true, id: "x" });
  });

  it("reads Resend's error shape", () => {
    expect(readMailAnswer(403, '{"statusCode":403,"name":"invalid_api_key","message":"API key is invalid"}')).toEqual({
      ok: false,
      status: 403,
      name: "invalid_api_key",
      message: "API key is invalid",
    });
  });

  it.each([
    [200, "{}"],
    [200, '{"id":""}'],
    [200, '{"id":7}'],
    [200, "not json"],
    [200, "null"],
    [199, '{"id":"x"}'],
    [300, '{"id":"x"}'],
    [500, ""],
  ])("refuses HTTP %i %j as an unexpected answer", (status, body) => {
    expect(readMailAnswer(status, body)).toEqual({ ok: false, status, name: "unexpected_answer", message: `HTTP ${status} without an email id` });
  });

  it("keeps a name or message given without the other", () => {
    expect(readMailAnswer(429, '{"name":"rate_limit_exceeded","message":42}')).toMatchObject({ name: "rate_limit_exceeded", message: "HTTP 429 without an email id" });
    expect(readMailAnswer(500, '{"name":5,"message":"boom"}')).toMatchObject({ name: "unexpected_answer", message: "boom" });
  });
});
