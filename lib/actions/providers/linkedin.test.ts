import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import { linkedinFailure, linkedinSharePost } from "./linkedin";

const context: ActionContext = { config: {}, accountId: "782bbtaQ", scopes: ["openid", "w_member_social"], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));

function parsed(raw: unknown): never {
  const result = parseInput(linkedinSharePost, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.input as never;
}
function fieldErrors(raw: unknown) {
  const result = parseInput(linkedinSharePost, raw);
  return result.ok ? null : result.error.fields;
}

describe("linkedin.share_post request", () => {
  test("a text post is one POST to /v2/ugcPosts as the member, public by default", () => {
    expect(buildRequest(linkedinSharePost, parsed({ text: "  We shipped 1.2  " }), context)).toStrictEqual({
      ok: true,
      request: {
        method: "POST",
        path: "/v2/ugcPosts",
        headers: { "X-Restli-Protocol-Version": "2.0.0" },
        body: {
          json: {
            author: "urn:li:person:782bbtaQ",
            lifecycleState: "PUBLISHED",
            specificContent: { "com.linkedin.ugc.ShareContent": { shareCommentary: { text: "We shipped 1.2" }, shareMediaCategory: "NONE" } },
            visibility: { "com.linkedin.ugc.MemberNetworkVisibility": "PUBLIC" },
          },
        },
      },
    });
  });

  test("a link is shared as an article, for connections only when asked", () => {
    const built = buildRequest(linkedinSharePost, parsed({ text: "Notes", link: "https://example.com/notes", visibility: "CONNECTIONS" }), context);
    expect(built.ok && built.request.body).toStrictEqual({
      json: {
        author: "urn:li:person:782bbtaQ",
        lifecycleState: "PUBLISHED",
        specificContent: {
          "com.linkedin.ugc.ShareContent": {
            shareCommentary: { text: "Notes" },
            shareMediaCategory: "ARTICLE",
            media: [{ status: "READY", originalUrl: "https://example.com/notes" }],
          },
        },
        visibility: { "com.linkedin.ugc.MemberNetworkVisibility": "CONNECTIONS" },
      },
    });
  });

  test.each([undefined, "", "urn:li:person:x", "a b", "x".repeat(101)])("a connection whose member id is %j cannot post", (accountId) => {
    const { accountId: _omitted, ...rest } = context;
    void _omitted;
    const withId: ActionContext = accountId === undefined ? rest : { ...rest, accountId };
    expect(buildRequest(linkedinSharePost, parsed({ text: "x" }), withId)).toStrictEqual({
      ok: false,
      error: { code: "invalid_input", message: "This LinkedIn connection has no member id to post as; reconnect LinkedIn.", retryable: false },
    });
  });

  test("member ids with digits, _ and - and up to 100 characters post", () => {
    for (const accountId of ["a-b_C9", "x".repeat(100)]) {
      expect(buildRequest(linkedinSharePost, parsed({ text: "x" }), { ...context, accountId }).ok).toBe(true);
    }
  });
});

describe("linkedin.share_post input", () => {
  test.each([
    [{ text: "   " }, { text: "Write the post." }],
    [{ text: "x".repeat(3001) }, { text: "LinkedIn takes at most 3,000 characters." }],
    [{ text: "x", visibility: "LOGGED_IN" }, { visibility: 'Invalid option: expected one of "PUBLIC"|"CONNECTIONS"' }],
    [{ text: "x", link: "ftp://example.com" }, { link: "A web address starting with https:// or http://." }],
    [{ text: "x", link: "example.com" }, { link: "A web address starting with https:// or http://." }],
    [{ text: "x", link: "xhttp://example.com" }, { link: "A web address starting with https:// or http://." }],
    [{ text: "x", link: "httpsx://example.com" }, { link: "A web address starting with https:// or http://." }],
  ])("%j is refused with %j", (raw, fields) => {
    expect(fieldErrors(raw)).toStrictEqual(fields);
  });

  test("3,000 characters and an http link are accepted", () => {
    expect(fieldErrors({ text: "x".repeat(3000), link: "http://example.com" })).toBeNull();
  });
});

describe("linkedin.share_post answer", () => {
  test("201 gives the post's URN from X-RestLi-Id, else from the body", () => {
    expect(readAnswer(linkedinSharePost, {}, answer(201, "", { "X-RestLi-Id": "urn:li:share:6844785523593134080" }), "LinkedIn")).toStrictEqual({
      ok: true,
      output: { id: "urn:li:share:6844785523593134080" },
    });
    expect(readAnswer(linkedinSharePost, {}, answer(201, { id: "urn:li:ugcPost:1" }), "LinkedIn")).toStrictEqual({ ok: true, output: { id: "urn:li:ugcPost:1" } });
    expect(readAnswer(linkedinSharePost, {}, answer(201, ""), "LinkedIn")).toMatchObject({ ok: false, error: { code: "provider_error" } });
  });

  test("an error answer is the decoder's failure", () => {
    expect(linkedinSharePost.response(answer(429, { status: 429, message: "Resource level throttle DAY limit reached." }), parsed({ text: "x" }))).toStrictEqual({
      ok: false,
      error: { code: "rate_limited", message: "LinkedIn is rate limiting these requests: Resource level throttle DAY limit reached.", retryable: true, status: 429 },
    });
  });
});

describe("linkedinFailure", () => {
  test.each([200, 201, 299])("HTTP %i is a success", (status) => {
    expect(linkedinFailure(answer(status, ""))).toBeNull();
  });

  test.each([199, 300])("HTTP %i is not", (status) => {
    expect(linkedinFailure(answer(status, ""))).toMatchObject({ code: "provider_error", status });
  });

  test("403 'Not enough permissions' is the missing w_member_social scope", () => {
    const said = { serviceErrorCode: 100, message: "Not enough permissions to access: ugcPosts.CREATE.NO_VERSION", status: 403 };
    expect(linkedinFailure(answer(403, said))).toStrictEqual({
      code: "missing_scope",
      message: "LinkedIn needs the scope w_member_social: reconnect LinkedIn and grant it.",
      retryable: false,
      providerCode: "100",
      status: 403,
    });
    expect(linkedinFailure(answer(403, { message: "Member is restricted", status: 403 }))).toStrictEqual({
      code: "provider_error",
      message: "LinkedIn answered HTTP 403: Member is restricted.",
      retryable: false,
      status: 403,
    });
    expect(linkedinFailure(answer(403, ""))).toMatchObject({ code: "provider_error" });
  });

  test("422 names the fields its ERROR lines point at", () => {
    const message = [
      "ERROR :: /specificContent/com.linkedin.ugc.ShareContent/shareCommentary/text :: length of 3001 exceeds maximum allowed length of 3000 ",
      "ERROR :: /specificContent/com.linkedin.ugc.ShareContent/shareCommentary/text :: second",
      "ERROR :: /specificContent/com.linkedin.ugc.ShareContent/media/0/originalUrl :: invalid URL",
      "ERROR :: /visibility/com.linkedin.ugc.MemberNetworkVisibility :: is not a valid enum value",
      "ERROR :: /author :: not the member",
      "",
    ].join("\n");
    expect(linkedinFailure(answer(422, { message, status: 422, serviceErrorCode: 0 }))).toStrictEqual({
      code: "invalid_input",
      message: `LinkedIn refused the input: ${message.trim()}`,
      retryable: false,
      fields: {
        text: "length of 3001 exceeds maximum allowed length of 3000",
        link: "invalid URL",
        visibility: "is not a valid enum value",
      },
      providerCode: "0",
      status: 422,
    });
  });

  test("only the paths of the action's inputs are fields", () => {
    expect(linkedinFailure(answer(422, { message: "ERROR :: /author :: not the member", status: 422 }))).toStrictEqual({
      code: "invalid_input",
      message: "LinkedIn refused the input: ERROR :: /author :: not the member",
      retryable: false,
      status: 422,
    });
    expect(linkedinFailure(answer(400, { message: "ERROR :: /lifecycleState/visibility :: odd", status: 400 }))).not.toHaveProperty("fields");
  });

  test("'Not enough permissions' on a status other than 403 is not the scope", () => {
    expect(linkedinFailure(answer(400, { message: "Not enough permissions to access: ugcPosts.CREATE", status: 400 }))).toMatchObject({ code: "invalid_input" });
    expect(linkedinFailure(answer(401, { message: "Not enough permissions", status: 401 }))).toMatchObject({ code: "auth_revoked" });
  });

  test("a duplicate post is about the text; a 400 without paths has no fields", () => {
    expect(linkedinFailure(answer(422, { message: "Content is a duplicate of urn:li:share:6844785523593134080", status: 422 }))).toStrictEqual({
      code: "invalid_input",
      message: "LinkedIn refused the input: Content is a duplicate of urn:li:share:6844785523593134080",
      retryable: false,
      fields: { text: "LinkedIn already has this post; change the text." },
      status: 422,
    });
    expect(linkedinFailure(answer(400, { message: "Unpermitted fields present in REQUEST_BODY: Data Processing Exception", status: 400 }))).toStrictEqual({
      code: "invalid_input",
      message: "LinkedIn refused the input: Unpermitted fields present in REQUEST_BODY: Data Processing Exception",
      retryable: false,
      status: 400,
    });
    expect(linkedinFailure(answer(400, "Bad Request"))).toStrictEqual({ code: "provider_error", message: "LinkedIn answered HTTP 400.", retryable: false, status: 400 });
  });

  test("401 is a refused credential, with LinkedIn's service code", () => {
    expect(linkedinFailure(answer(401, { serviceErrorCode: 65600, message: "Invalid access token", status: 401 }))).toStrictEqual({
      code: "auth_revoked",
      message: "LinkedIn refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "65600",
      status: 401,
    });
  });

  test("a 5xx, and a body of the wrong types", () => {
    expect(linkedinFailure(answer(500, { message: "Internal Server Error. ", serviceErrorCode: "x" }))).toStrictEqual({
      code: "provider_error",
      message: "LinkedIn answered HTTP 500: Internal Server Error.",
      retryable: true,
      status: 500,
    });
    expect(linkedinFailure(answer(502, { message: "Bad gateway. . " }))).toMatchObject({ message: "LinkedIn answered HTTP 502: Bad gateway." });
    expect(linkedinFailure(answer(500, "null"))).toStrictEqual({ code: "provider_error", message: "LinkedIn answered HTTP 500.", retryable: true, status: 500 });
    expect(linkedinFailure(answer(422, { message: 5 }))).toMatchObject({ code: "provider_error" });
  });
});

describe("linkedin.share_post description", () => {

  test("form metadata, scopes and output", () => {
    expect(actionSpec(linkedinSharePost)).toMatchInlineSnapshot(`
      {
        "description": "Posts to the connected member's LinkedIn feed, optionally sharing a link.",
        "effect": "write",
        "id": "linkedin.share_post",
        "inputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "properties": {
            "link": {
              "description": "An article to share with the post.",
              "examples": [
                "https://example.com/release-notes",
              ],
              "format": "uri",
              "title": "Link",
              "type": "string",
            },
            "text": {
              "description": "The post's commentary; #hashtags work.",
              "examples": [
                "We shipped release 1.2 today.",
              ],
              "maxLength": 3000,
              "minLength": 1,
              "title": "Text",
              "type": "string",
            },
            "visibility": {
              "default": "PUBLIC",
              "description": "PUBLIC: anyone on or off LinkedIn; CONNECTIONS: the member's connections.",
              "enum": [
                "PUBLIC",
                "CONNECTIONS",
              ],
              "title": "Who can see it",
              "type": "string",
            },
          },
          "required": [
            "text",
          ],
          "type": "object",
        },
        "kind": "operation",
        "outputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "additionalProperties": false,
          "properties": {
            "id": {
              "description": "The post's URN (urn:li:share:… or urn:li:ugcPost:…).",
              "minLength": 1,
              "type": "string",
            },
          },
          "required": [
            "id",
          ],
          "type": "object",
        },
        "providerId": "linkedin",
        "scopes": [
          "w_member_social",
        ],
        "title": "Share a post",
        "version": 1,
      }
    `);
  });
});
