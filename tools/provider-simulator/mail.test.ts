import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mailRequest, readMailAnswer } from "../../lib/mail/message";
import { MAIL_API_PREFIX, SIM_MAIL_API_KEY } from "./mail";
import { startSimulator, type RunningSimulator } from "./server";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

const mail = { from: "Switchboard <no-reply@example.com>", to: "ada@example.com", subject: "Your code", text: "Code: 12345678", html: "<p>Code: <b>12345678</b></p>" };

function send(body: unknown, init: { key?: string | null; contentType?: string; method?: string; path?: string } = {}) {
  const headers: Record<string, string> = { "content-type": init.contentType ?? "application/json" };
  const key = init.key === undefined ? SIM_MAIL_API_KEY : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return fetch(`${sim.url}${init.path ?? `${MAIL_API_PREFIX}/emails`}`, {
    method: init.method ?? "POST",
    headers,
    body: init.method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function refusal(response: Response) {
  return { status: response.status, body: await response.json() };
}

describe("the simulated email API", () => {
  it("accepts what lib/mail sends, answers an id like Resend, and keeps the mail", async () => {
    const request = mailRequest({ apiUrl: `${sim.url}${MAIL_API_PREFIX}`, apiKey: SIM_MAIL_API_KEY, from: mail.from }, mail);
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    const answer = readMailAnswer(response.status, await response.text());
    expect(answer).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const kept = sim.control.sentMail();
    expect(kept).toEqual([{ id: answer.ok && answer.id, at: expect.any(Number), from: mail.from, to: ["ada@example.com"], subject: "Your code", text: mail.text, html: mail.html }]);
  });

  it("refuses a request without a key (401) and with a wrong one (403), keeping nothing", async () => {
    expect(await refusal(await send(mail, { key: null }))).toEqual({
      status: 401,
      body: { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." },
    });
    expect(await refusal(await send(mail, { key: "re_wrong" }))).toEqual({ status: 403, body: { statusCode: 403, name: "invalid_api_key", message: "API key is invalid." } });
    expect(await refusal(await send(mail, { key: `${SIM_MAIL_API_KEY}x` }))).toMatchObject({ status: 403 });
    const basic = await fetch(`${sim.url}${MAIL_API_PREFIX}/emails`, { method: "POST", headers: { authorization: `Basic ${btoa("a:b")}` }, body: JSON.stringify(mail) });
    expect(await refusal(basic)).toMatchObject({ status: 401, body: { name: "missing_api_key" } });
    expect(sim.control.sentMail()).toEqual([]);
  });

  it.each(["from", "to", "subject"] as const)("refuses a mail without %s (422 missing_required_field)", async (field) => {
    const { [field]: _left, ...rest } = mail;
    expect(await refusal(await send(rest))).toEqual({ status: 422, body: { statusCode: 422, name: "missing_required_field", message: `Missing \`${field}\` field.` } });
    expect(await refusal(await send({ ...mail, [field]: "" }))).toMatchObject({ status: 422, body: { name: "missing_required_field" } });
  });

  it("refuses a mail with neither text nor html", async () => {
    expect(await refusal(await send({ ...mail, text: undefined, html: undefined }))).toMatchObject({
      status: 422,
      body: { name: "missing_required_field", message: "Missing `html` or `text` field." },
    });
    await send({ ...mail, html: undefined });
    await send({ ...mail, text: undefined });
    expect(sim.control.sentMail().map((m) => [m.text, m.html])).toEqual([[null, mail.html], [mail.text, null]]);
  });

  it.each([
    [{ from: "Switchboard" }, "Invalid `from` field"],
    [{ from: "no-reply@example" }, "Invalid `from` field"],
    [{ to: "not-an-address" }, "Invalid `to` field"],
    [{ to: [] }, "Invalid `to` field"],
    [{ to: ["ada@example.com", 5] }, "Invalid `to` field"],
    [{ to: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`) }, "at most 50 recipients"],
    [{ subject: 7 }, "Invalid `subject` field"],
    [{ text: ["x"] }, "Invalid `text` field"],
    [{ html: { x: 1 } }, "Invalid `html` field"],
  ])("refuses %j as a validation_error", async (change, message) => {
    const { status, body } = await refusal(await send({ ...mail, ...change }));
    expect(status).toBe(422);
    expect(body.name).toBe("validation_error");
    expect(body.message).toContain(message);
  });

  it("takes a list of recipients", async () => {
    expect((await send({ ...mail, to: ["a@example.com", "b@example.com"] })).status).toBe(200);
    expect(sim.control.sentMail({ to: "B@example.com" })).toHaveLength(1);
  });

  it("refuses a body that is not a JSON object", async () => {
    expect(await refusal(await send("from=a", { contentType: "application/x-www-form-urlencoded" }))).toMatchObject({ status: 422, body: { name: "validation_error" } });
    expect(await refusal(await send("[1]"))).toMatchObject({ status: 422, body: { name: "validation_error" } });
    expect(await refusal(await send("{oops"))).toMatchObject({ status: 422 });
  });

  it("answers other paths 404 and other methods 405, Resend-style", async () => {
    expect(await refusal(await send(mail, { path: `${MAIL_API_PREFIX}/domains` }))).toMatchObject({ status: 404, body: { statusCode: 404, name: "not_found" } });
    expect(await refusal(await send(null, { method: "GET" }))).toMatchObject({ status: 405, body: { statusCode: 405, name: "method_not_allowed" } });
  });
});

describe("the mailbox", () => {
  it("lists mail newest first, as a page and over the control API, and reset() empties it", async () => {
    await send({ ...mail, to: "first@example.com", subject: "First" });
    await send({ ...mail, to: "second@example.com", subject: "Second <b>bold</b>" });
    const page = await fetch(`${sim.url}/mailbox`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html.indexOf("Second &lt;b&gt;bold&lt;/b&gt;")).toBeGreaterThan(0);
    expect(html.indexOf("Second &lt;b&gt;")).toBeLessThan(html.indexOf("First"));
    expect(html).toContain("Code: 12345678");

    const listed = await (await fetch(`${sim.url}/_control/sentMail`)).json();
    expect(listed.result.map((m: { subject: string }) => m.subject)).toEqual(["Second <b>bold</b>", "First"]);
    const filtered = await (await fetch(`${sim.url}/_control/sentMail?to=first@example.com`)).json();
    expect(filtered.result.map((m: { subject: string }) => m.subject)).toEqual(["First"]);

    sim.control.reset();
    expect(await (await fetch(`${sim.url}/mailbox`)).text()).toContain("No mail yet.");
  });

  it("shows one mail with its HTML in a sandboxed frame, and 404 for an unknown id", async () => {
    const { id } = await (await send(mail)).json();
    const html = await (await fetch(`${sim.url}/mailbox/${id}`)).text();
    expect(html).toContain(`<iframe title="The email's HTML" sandbox srcdoc="&lt;p&gt;Code: &lt;b&gt;12345678&lt;/b&gt;&lt;/p&gt;"`);
    expect(html).toContain("Text version");
    expect((await fetch(`${sim.url}/mailbox/nope`)).status).toBe(404);
    expect((await fetch(`${sim.url}/mailbox`, { method: "POST" })).status).toBe(405);
  });
});
