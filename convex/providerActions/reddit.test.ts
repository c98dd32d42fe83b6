/** Reddit's actions through the step contract, against the simulator's /api/submit. */
import { describe, expect, inject, test } from "vitest";
import { REDDIT_USER_AGENT } from "../../lib/providers/reddit";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

describe("reddit actions", () => {
  test("submit_post sends a form with api_type=json and the catalog's User-Agent, and answers the post", async () => {
    const w = await setup(simulatorUrl, "reddit", { extraScopes: ["submit"] });
    const text = await w.runAction("reddit.submit_post", { subreddit: "r/test", title: "Release 1.2", text: "Notes: **faster**" });
    expect(text).toEqual({
      ok: true,
      output: { id: "lflt", name: "t3_lflt", url: "https://www.reddit.com/r/test/comments/lflt/release_1_2/" },
      correlationId: expect.any(String),
    });
    const link = await w.runAction("reddit.submit_post", { subreddit: "test", kind: "link", title: "Notes", url: "https://example.com/notes" });
    expect(link).toMatchObject({ ok: true, output: { name: "t3_lflu" } });

    const calls = await w.simulator.apiCalls({ providerId: "reddit", apiPath: "/api/submit" });
    expect(calls.map(({ method, query, body }) => ({ method, query, body }))).toEqual([
      { method: "POST", query: {}, body: { api_type: "json", sr: "test", kind: "self", title: "Release 1.2", text: "Notes: **faster**" } },
      { method: "POST", query: {}, body: { api_type: "json", sr: "test", kind: "link", title: "Notes", url: "https://example.com/notes" } },
    ]);
    expect(calls[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(calls[0]!.headers["user-agent"]).toBe(REDDIT_USER_AGENT);
    expect(calls[0]!.rawBody).toBe("api_type=json&sr=test&kind=self&title=Release+1.2&text=Notes%3A+**faster**");
  });

  test("Reddit's 200 errors become invalid input on the field at fault", async () => {
    const w = await setup(simulatorUrl, "reddit", { extraScopes: ["submit"] });
    const missing = await w.runAction("reddit.submit_post", { subreddit: "nosuchplace", title: "Hi" });
    expect(missing).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Reddit refused the input: that subreddit doesn't exist",
        retryable: false,
        fields: { subreddit: "that subreddit doesn't exist" },
        providerCode: "SUBREDDIT_NOEXIST",
        status: 200,
      },
      correlationId: expect.any(String),
    });
    const noText = await w.runAction("reddit.submit_post", { subreddit: "linksonly", title: "Hi", text: "words" });
    expect(noText).toMatchObject({ ok: false, error: { providerCode: "NO_SELFS", fields: { subreddit: expect.any(String) } } });
    const input = { subreddit: "test", kind: "link", title: "Again", url: "https://example.com/same" };
    expect((await w.runAction("reddit.submit_post", input)).ok).toBe(true);
    expect(await w.runAction("reddit.submit_post", input)).toMatchObject({
      ok: false,
      error: { code: "invalid_input", providerCode: "ALREADY_SUB", fields: { url: "that link has already been submitted" } },
    });
  });

  test("RATELIMIT is rate_limited for the minutes Reddit's message names", async () => {
    const w = await setup(simulatorUrl, "reddit", { extraScopes: ["submit"] });
    for (const title of ["one", "two", "three"]) {
      expect((await w.runAction("reddit.submit_post", { subreddit: "test", title })).ok).toBe(true);
    }
    const limited = await w.runAction("reddit.submit_post", { subreddit: "test", title: "four" });
    expect(limited).toMatchObject({
      ok: false,
      error: { code: "rate_limited", retryable: true, retryAfterMs: 600_000, providerCode: "RATELIMIT", status: 200 },
    });
  });

  test("without the submit scope nothing is sent", async () => {
    const w = await setup(simulatorUrl, "reddit");
    const result = await w.runAction("reddit.submit_post", { subreddit: "test", title: "Hi" });
    expect(result).toMatchObject({ ok: false, error: { code: "missing_scope", message: expect.stringMatching(/grant submit/) } });
    expect(await w.simulator.apiCalls({ providerId: "reddit" })).toEqual([]);
  });
});
