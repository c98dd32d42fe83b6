import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import { rateLimitWaitMs, redditFailure, redditSubmitPost } from "./reddit";

const context: ActionContext = { config: {}, scopes: ["identity", "submit"], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));
const errorsAnswer = (...errors: unknown[]) => answer(200, { json: { errors } });

function requestFor(raw: unknown) {
  const parsed = parseInput(redditSubmitPost, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildRequest(redditSubmitPost, parsed.input, context);
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}
function fieldErrors(raw: unknown) {
  const parsed = parseInput(redditSubmitPost, raw);
  return parsed.ok ? null : parsed.error.fields;
}

describe("reddit.submit_post request", () => {
  test("a text post is a form POST to /api/submit with api_type=json", () => {
    expect(requestFor({ subreddit: " r/test ", title: "  Release 1.2  ", text: "**Notes**" })).toStrictEqual({
      method: "POST",
      path: "/api/submit",
      body: { form: { api_type: "json", sr: "test", kind: "self", title: "Release 1.2", text: "**Notes**" } },
    });
  });

  test("a text post without text sends no text; a link post sends its url", () => {
    expect(requestFor({ subreddit: "/r/Test_Sub", kind: "self", title: "Title only" }).body).toStrictEqual({
      form: { api_type: "json", sr: "Test_Sub", kind: "self", title: "Title only" },
    });
    expect(requestFor({ subreddit: "R/test", kind: "link", title: "Notes", url: "https://example.com/notes", text: "" }).body).toStrictEqual({
      form: { api_type: "json", sr: "test", kind: "link", title: "Notes", url: "https://example.com/notes" },
    });
  });
});

describe("reddit.submit_post input", () => {
  const base = { subreddit: "test", title: "Hello" };
  const subredditMessage = "A subreddit name like AskReddit (3 to 21 letters, digits or _).";
  test.each([
    [{ subreddit: "ab" }, { subreddit: subredditMessage }],
    [{ subreddit: "a".repeat(22) }, { subreddit: subredditMessage }],
    [{ subreddit: "_test" }, { subreddit: subredditMessage }],
    [{ subreddit: "te st" }, { subreddit: subredditMessage }],
    [{ subreddit: "xr/test" }, { subreddit: subredditMessage }],
    [{ subreddit: "r/r/test" }, { subreddit: subredditMessage }],
    [{ title: "  " }, { title: "Give the post a title." }],
    [{ title: "x".repeat(301) }, { title: "Reddit takes at most 300 characters." }],
    [{ text: "x".repeat(40_001) }, { text: "Reddit takes at most 40,000 characters." }],
    [{ kind: "image" }, { kind: 'Invalid option: expected one of "self"|"link"' }],
    [{ kind: "link" }, { url: "A link post needs its link." }],
    [{ kind: "link", url: "https://example.com", text: "body" }, { text: "A link post has no text." }],
    [{ url: "https://example.com" }, { url: "A text post has no link; choose link." }],
    [{ kind: "link", url: "ftp://example.com/file" }, { url: "A web address starting with https:// or http://." }],
    [{ kind: "link", url: "example.com" }, { url: "A web address starting with https:// or http://." }],
    [{ kind: "link", url: "xhttp://example.com" }, { url: "A web address starting with https:// or http://." }],
    [{ kind: "link", url: "httpsx://example.com" }, { url: "A web address starting with https:// or http://." }],
  ])("%j is refused with %j", (change, fields) => {
    expect(fieldErrors({ ...base, ...change })).toStrictEqual(fields);
  });

  test("the limits and both link schemes are accepted", () => {
    expect(fieldErrors({ subreddit: "abc", title: "x".repeat(300), text: "x".repeat(40_000) })).toBeNull();
    expect(fieldErrors({ subreddit: `a${"b".repeat(20)}`, title: "x" })).toBeNull();
    expect(fieldErrors({ ...base, kind: "link", url: "http://example.com" })).toBeNull();
  });
});

describe("reddit.submit_post answer", () => {
  const data = { url: "https://www.reddit.com/r/test/comments/1abc2d/release_12/", drafts_count: 0, id: "1abc2d", name: "t3_1abc2d" };

  test("the post's id, fullname and URL", () => {
    expect(readAnswer(redditSubmitPost, {}, answer(200, { json: { errors: [], data } }), "Reddit")).toStrictEqual({
      ok: true,
      output: { id: "1abc2d", name: "t3_1abc2d", url: "https://www.reddit.com/r/test/comments/1abc2d/release_12/" },
    });
  });

  test("an errors list is the decoder's failure", () => {
    const read = redditSubmitPost.response(errorsAnswer(["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"]), { subreddit: "nope", kind: "self", title: "x" });
    expect(read).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { subreddit: "that subreddit doesn't exist" } } });
  });
});

describe("redditFailure", () => {
  test("no errors is a success", () => {
    expect(redditFailure(answer(200, { json: { errors: [], data: {} } }))).toBeNull();
  });

  test("errors land on the input fields Reddit named", () => {
    expect(
      redditFailure(
        errorsAnswer(
          ["BAD_URL", "you should check that url", "url"],
          ["TOO_LONG", "this is too long (max: 300)", "title"],
          ["NO_TEXT", "we need something here", "title"],
          ["NO_SELFS", "This community doesn't allow text posts", "sr"],
          ["INVALID_OPTION", "that option is not valid", "kind"],
          ["TOO_LONG", "this is too long (max: 40000)", "text"],
          ["SOMETHING", "no field"],
          ["OTHER", "unknown field", "flair_id"],
          ["ODD", "a prototype name", "constructor"],
          ["BROKEN"],
          "not a tuple",
        ),
      ),
    ).toStrictEqual({
      code: "invalid_input",
      message: "Reddit refused the input: you should check that url",
      retryable: false,
      fields: {
        url: "you should check that url",
        title: "this is too long (max: 300)",
        subreddit: "This community doesn't allow text posts",
        kind: "that option is not valid",
        text: "this is too long (max: 40000)",
      },
      providerCode: "BAD_URL",
      status: 200,
    });
  });

  test("only [code, message, …] tuples count, whatever comes first", () => {
    expect(redditFailure(errorsAnswer("not a tuple", ["BROKEN"], [5, "m", "url"], ["NOMSG", 5, "title"], ["BAD_URL", "you should check that url", "url"]))).toStrictEqual({
      code: "invalid_input",
      message: "Reddit refused the input: you should check that url",
      retryable: false,
      fields: { url: "you should check that url" },
      providerCode: "BAD_URL",
      status: 200,
    });
    expect(redditFailure(errorsAnswer(["BROKEN"], "x"))).toBeNull();
  });

  test("an error without a field is still invalid input, without fields", () => {
    expect(redditFailure(errorsAnswer(["USER_REQUIRED", "Please log in to do that."]))).toStrictEqual({
      code: "invalid_input",
      message: "Reddit refused the input: Please log in to do that.",
      retryable: false,
      providerCode: "USER_REQUIRED",
      status: 200,
    });
  });

  test("RATELIMIT is rate limited for as long as the message says", () => {
    const message = "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again.";
    expect(redditFailure(errorsAnswer(["RATELIMIT", message, "ratelimit"]))).toStrictEqual({
      code: "rate_limited",
      message: `Reddit is rate limiting these posts: ${message}`,
      retryable: true,
      retryAfterMs: 540_000,
      providerCode: "RATELIMIT",
      status: 200,
    });
    expect(redditFailure(answer(200, { json: { errors: [["RATELIMIT", "Slow down.", "ratelimit"]] } }, { "Retry-After": "5" }))).toMatchObject({
      retryAfterMs: 5000,
    });
    expect(redditFailure(errorsAnswer(["RATELIMIT", "you are doing that too much.", "ratelimit"]))).toStrictEqual({
      code: "rate_limited",
      message: "Reddit is rate limiting these posts: you are doing that too much.",
      retryable: true,
      providerCode: "RATELIMIT",
      status: 200,
    });
  });

  test.each([
    ["Take a break for 9 minutes before trying again.", 540_000],
    ["You're doing that too much. Try again in 3 minutes.", 180_000],
    ["try again in 1 minute", 60_000],
    ["Take a break for 45 seconds", 45_000],
    ["Try again in 2 HOURS.", 7_200_000],
    ["Take a break for 10minutes", 600_000],
    ["a while", undefined],
    ["9 minutesx", undefined],
    ["wait 5 days", undefined],
  ])("the wait in %j is %j ms", (message, ms) => {
    expect(rateLimitWaitMs(message)).toBe(ms);
  });

  test("a 200 without Reddit's errors list is a provider error", () => {
    const unreadable = { code: "provider_error", message: "Reddit answered without its json.errors list.", retryable: false, status: 200 };
    expect(redditFailure(answer(200, { jquery: [] }))).toStrictEqual(unreadable);
    expect(redditFailure(answer(200, { json: {} }))).toStrictEqual(unreadable);
    expect(redditFailure(answer(200, "<html>"))).toStrictEqual(unreadable);
  });

  test("403 insufficient_scope is the missing submit scope; another 403 is not", () => {
    const challenge = { "WWW-Authenticate": 'Bearer realm="reddit", error="insufficient_scope"' };
    expect(redditFailure(answer(403, { message: "Forbidden", error: 403 }, challenge))).toStrictEqual({
      code: "missing_scope",
      message: "Reddit needs the scope submit: reconnect Reddit and grant it.",
      retryable: false,
      status: 403,
    });
    expect(redditFailure(answer(401, "", challenge))).toMatchObject({ code: "auth_revoked" });
    expect(redditFailure(answer(403, "", { "WWW-Authenticate": 'Bearer realm="reddit", error="invalid_token"' }))).toMatchObject({ code: "provider_error" });
    expect(redditFailure(answer(403, { message: "Forbidden", error: 403 }))).toStrictEqual({
      code: "provider_error",
      message: "Reddit answered HTTP 403.",
      retryable: false,
      status: 403,
    });
  });

  test("429 waits for Retry-After, else for x-ratelimit-reset", () => {
    expect(redditFailure(answer(429, "", { "Retry-After": "7", "X-Ratelimit-Reset": "100" }))).toMatchObject({ code: "rate_limited", retryAfterMs: 7000 });
    expect(redditFailure(answer(429, "", { "X-Ratelimit-Reset": "100" }))).toStrictEqual({
      code: "rate_limited",
      message: "Reddit is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 100_000,
      status: 429,
    });
    const resets: Array<Record<string, string>> = [{ "X-Ratelimit-Reset": "soon" }, { "X-Ratelimit-Reset": "10s" }, { "X-Ratelimit-Reset": "s10" }, {}];
    for (const headers of resets) {
      expect(redditFailure(answer(429, "", headers))).toStrictEqual({
        code: "rate_limited",
        message: "Reddit is rate limiting these requests.",
        retryable: true,
        status: 429,
      });
    }
  });

  test("401 and 5xx go by status", () => {
    expect(redditFailure(answer(401, { message: "Unauthorized", error: 401 }))).toMatchObject({ code: "auth_revoked", status: 401 });
    expect(redditFailure(answer(502, "Bad Gateway"))).toMatchObject({ code: "provider_error", retryable: true, status: 502 });
  });
});

describe("reddit.submit_post description", () => {

  test("form metadata, scopes and output", () => {
    expect(actionSpec(redditSubmitPost)).toMatchInlineSnapshot(`
      {
        "description": "Posts a text or link post to a subreddit as the connected Reddit account.",
        "effect": "write",
        "id": "reddit.submit_post",
        "inputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "properties": {
            "kind": {
              "default": "self",
              "description": "self: a text post; link: a post of a URL.",
              "enum": [
                "self",
                "link",
              ],
              "title": "Kind",
              "type": "string",
            },
            "subreddit": {
              "description": "Its name, with or without r/.",
              "examples": [
                "test",
              ],
              "title": "Subreddit",
              "type": "string",
            },
            "text": {
              "description": "The body of a text post, in Markdown.",
              "maxLength": 40000,
              "title": "Text",
              "type": "string",
            },
            "title": {
              "examples": [
                "Release 1.2 is out",
              ],
              "maxLength": 300,
              "minLength": 1,
              "title": "Title",
              "type": "string",
            },
            "url": {
              "description": "The address a link post points to.",
              "examples": [
                "https://example.com/release-notes",
              ],
              "format": "uri",
              "title": "Link",
              "type": "string",
            },
          },
          "required": [
            "subreddit",
            "title",
          ],
          "type": "object",
        },
        "kind": "operation",
        "outputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "additionalProperties": false,
          "properties": {
            "id": {
              "description": "The post's ID (base 36).",
              "type": "string",
            },
            "name": {
              "description": "Its fullname, t3_ and the ID: what other Reddit calls take.",
              "type": "string",
            },
            "url": {
              "description": "Where the post is.",
              "format": "uri",
              "type": "string",
            },
          },
          "required": [
            "id",
            "name",
            "url",
          ],
          "type": "object",
        },
        "providerId": "reddit",
        "scopes": [
          "submit",
        ],
        "title": "Submit a post",
        "version": 1,
      }
    `);
  });
});
