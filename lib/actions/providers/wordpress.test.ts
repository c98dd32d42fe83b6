import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext, AnyAction } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import { unescapeTermName, wordpressActions, wordpressCreatePost, wordpressFailure, wordpressListCategories } from "./wordpress";

const context: ActionContext = { config: { apiBaseUrl: "https://blog.example.com/wp-json" }, scopes: [], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));

function requestFor(action: AnyAction, raw: unknown) {
  const parsed = parseInput(action, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildRequest(action, parsed.input, context);
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}
function fieldErrors(raw: unknown) {
  const parsed = parseInput(wordpressCreatePost, raw);
  return parsed.ok ? null : parsed.error.fields;
}

describe("wordpress.create_post request", () => {
  test("a full input is one JSON POST to /wp/v2/posts", () => {
    expect(
      requestFor(wordpressCreatePost, { title: "  Release 1.2 ", content: "<p>Faster</p>", status: "publish", categories: [3, 7], excerpt: "Faster." }),
    ).toStrictEqual({
      method: "POST",
      path: "/wp/v2/posts",
      body: { json: { title: "Release 1.2", content: "<p>Faster</p>", status: "publish", categories: [3, 7], excerpt: "Faster." } },
    });
  });

  test("a draft by default; no categories or excerpt unless given; an empty excerpt is sent", () => {
    expect(requestFor(wordpressCreatePost, { title: "Notes", content: "" }).body).toStrictEqual({ json: { title: "Notes", content: "", status: "draft" } });
    expect(requestFor(wordpressCreatePost, { title: "Notes", content: "x", excerpt: "", status: "private" }).body).toStrictEqual({
      json: { title: "Notes", content: "x", status: "private", excerpt: "" },
    });
  });
});

describe("wordpress.create_post input", () => {
  test.each([
    [{ title: " " }, { title: "Give the post a title." }],
    [{ title: "x".repeat(1001) }, { title: "Keep the title under 1,000 characters." }],
    [{ content: "x".repeat(500_001) }, { content: "Keep the content under 500,000 characters." }],
    [{ status: "future" }, { status: 'Invalid option: expected one of "draft"|"publish"|"private"' }],
    [{ categories: [1.5] }, { "categories.0": "A category ID is a whole number." }],
    [{ categories: [0] }, { "categories.0": "A category ID is a whole number." }],
    [{ categories: Array.from({ length: 101 }, (_, i) => i + 1) }, { categories: "At most 100 categories." }],
    [{ excerpt: "x".repeat(10_001) }, { excerpt: "Keep the excerpt under 10,000 characters." }],
  ])("%j is refused with %j", (change, fields) => {
    expect(fieldErrors({ title: "Notes", content: "x", ...change })).toStrictEqual(fields);
  });

  test("the limits are accepted", () => {
    expect(
      fieldErrors({
        title: "x".repeat(1000),
        content: "x".repeat(500_000),
        categories: Array.from({ length: 100 }, (_, i) => i + 1),
        excerpt: "x".repeat(10_000),
      }),
    ).toBeNull();
  });
});

describe("wordpress.create_post answer", () => {
  test("201 gives the id, link and status", () => {
    const post = { id: 42, link: "https://blog.example.com/?p=42", status: "draft", title: { raw: "Notes", rendered: "Notes" } };
    expect(readAnswer(wordpressCreatePost, {}, answer(201, post), "WordPress")).toStrictEqual({
      ok: true,
      output: { id: 42, url: "https://blog.example.com/?p=42", status: "draft" },
    });
    expect(wordpressCreatePost.response(answer(403, { code: "rest_cannot_create", message: "no", data: { status: 403 } }), {} as never)).toMatchObject({
      ok: false,
      error: { code: "missing_scope" },
    });
  });
});

describe("wordpress.list_categories", () => {
  test("asks for 100 a page, page 1 first, then the cursor's page", () => {
    expect(requestFor(wordpressListCategories, {})).toStrictEqual({ method: "GET", path: "/wp/v2/categories", query: { per_page: "100", page: "1" } });
    expect(requestFor(wordpressListCategories, { cursor: "2" })).toStrictEqual({ method: "GET", path: "/wp/v2/categories", query: { per_page: "100", page: "2" } });
    expect(requestFor(wordpressListCategories, { cursor: "123456" }).query).toStrictEqual({ per_page: "100", page: "123456" });
  });

  test.each(["0", "01", "x", "-1", "1234567", " 2"])("a cursor %j the lookup never gave is invalid input", (cursor) => {
    expect(buildRequest(wordpressListCategories, { cursor }, context)).toStrictEqual({
      ok: false,
      error: { code: "invalid_input", message: "This cursor was not given by the category lookup.", retryable: false },
    });
  });

  const terms = [
    { id: 1, name: "Uncategorized", slug: "uncategorized", count: 3 },
    { id: 7, name: "News &amp; Events", slug: "news-events", count: 0 },
  ];

  test("a page before the last has a next cursor; the names are unescaped", () => {
    expect(readAnswer(wordpressListCategories, { cursor: undefined }, answer(200, terms, { "X-WP-Total": "150", "X-WP-TotalPages": "2" }), "WordPress")).toStrictEqual({
      ok: true,
      output: { options: [{ value: "1", label: "Uncategorized" }, { value: "7", label: "News & Events" }], nextCursor: "2" },
    });
  });

  test("the last page, or an answer without a page count, has none", () => {
    const last = readAnswer(wordpressListCategories, { cursor: "2" }, answer(200, terms, { "X-WP-TotalPages": "2" }), "WordPress");
    expect(last).toStrictEqual({ ok: true, output: { options: [{ value: "1", label: "Uncategorized" }, { value: "7", label: "News & Events" }] } });
    expect(readAnswer(wordpressListCategories, {}, answer(200, []), "WordPress")).toStrictEqual({ ok: true, output: { options: [] } });
  });

  test("a page past the end is about the cursor", () => {
    const said = { code: "rest_post_invalid_page_number", message: "The page number requested is larger than the number of pages available.", data: { status: 400 } };
    expect(wordpressListCategories.response(answer(400, said), { cursor: "9" })).toStrictEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "WordPress refused the input: The page number requested is larger than the number of pages available.",
        retryable: false,
        fields: { cursor: "There is no such page of categories." },
        providerCode: "rest_post_invalid_page_number",
        status: 400,
      },
    });
  });

  test.each([
    ["News &amp; Events", "News & Events"],
    ["&lt;b&gt; &quot;Q&quot; &#039;s&#039;", `<b> "Q" 's'`],
    ["&amp;amp;", "&amp;"],
    ["Caf&eacute;", "Caf&eacute;"],
  ])("term name %j reads %j", (name, read) => {
    expect(unescapeTermName(name)).toBe(read);
  });
});

describe("wordpressFailure", () => {
  test.each([200, 201, 299])("HTTP %i is a success", (status) => {
    expect(wordpressFailure(answer(status, ""))).toBeNull();
  });

  test.each([199, 300])("HTTP %i is not", (status) => {
    expect(wordpressFailure(answer(status, ""))).toMatchObject({ code: "provider_error", status });
  });

  test("rest_invalid_param gives each parameter's message", () => {
    const said = {
      code: "rest_invalid_param",
      message: "Invalid parameter(s): status, categories",
      data: {
        status: 400,
        params: { status: "status is not one of publish, future, draft, pending, private.", categories: "categories[0] is not of type integer.", odd: 5 },
        details: {},
      },
    };
    expect(wordpressFailure(answer(400, said))).toStrictEqual({
      code: "invalid_input",
      message: "WordPress refused the input: Invalid parameter(s): status, categories",
      retryable: false,
      fields: { status: "status is not one of publish, future, draft, pending, private.", categories: "categories[0] is not of type integer." },
      providerCode: "rest_invalid_param",
      status: 400,
    });
  });

  test("a 400 needs a message and an object of params to be about fields", () => {
    expect(wordpressFailure(answer(400, { code: "rest_invalid_param", data: { params: { a: "b" } } }))).toMatchObject({ code: "provider_error" });
    expect(wordpressFailure(answer(400, { code: "rest_invalid_param", message: "m", data: { params: null } }))).toMatchObject({ code: "provider_error" });
    expect(wordpressFailure(answer(400, { code: "rest_invalid_param", message: "m", data: { params: "status" } }))).toMatchObject({ code: "provider_error" });
    expect(wordpressFailure(answer(400, { code: "rest_invalid_json", message: "Invalid JSON body passed.", data: { status: 400 } }))).toStrictEqual({
      code: "provider_error",
      message: "WordPress answered HTTP 400: rest_invalid_json.",
      retryable: false,
      providerCode: "rest_invalid_json",
      status: 400,
    });
    expect(wordpressFailure(answer(422, { code: "x", message: "m", data: { params: { a: "b" } } }))).toMatchObject({ code: "provider_error", status: 422 });
  });

  test("rest_cannot_create is the user's missing permission", () => {
    const said = { code: "rest_cannot_create", message: "Sorry, you are not allowed to create posts as this user.", data: { status: 403 } };
    expect(wordpressFailure(answer(403, said))).toStrictEqual({
      code: "missing_scope",
      message: "This WordPress user may not create posts: connect WordPress as an author, editor or administrator.",
      retryable: false,
      providerCode: "rest_cannot_create",
      status: 403,
    });
  });

  test("rest_cannot_publish and rest_cannot_assign_term are about status and categories", () => {
    expect(wordpressFailure(answer(403, { code: "rest_cannot_publish", message: "Sorry, you are not allowed to publish posts in this post type." }))).toStrictEqual({
      code: "invalid_input",
      message: "WordPress refused the input: Sorry, you are not allowed to publish posts in this post type.",
      retryable: false,
      fields: { status: "This WordPress user may only save drafts; choose draft." },
      providerCode: "rest_cannot_publish",
      status: 403,
    });
    expect(wordpressFailure(answer(403, { code: "rest_cannot_publish", message: 5 }))).toMatchObject({ message: "WordPress refused the input: rest_cannot_publish" });
    expect(wordpressFailure(answer(403, { code: "rest_cannot_assign_term" }))).toStrictEqual({
      code: "invalid_input",
      message: "WordPress refused the input: rest_cannot_assign_term",
      retryable: false,
      fields: { categories: "This WordPress user may not use these categories." },
      providerCode: "rest_cannot_assign_term",
      status: 403,
    });
  });

  test("a refused application password is auth_revoked; other codes go by status", () => {
    expect(wordpressFailure(answer(401, { code: "incorrect_password", message: "The provided password is an invalid application password.", data: { status: 401 } }))).toStrictEqual({
      code: "auth_revoked",
      message: "WordPress refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "incorrect_password",
      status: 401,
    });
    expect(wordpressFailure(answer(500, "<html>Error establishing a database connection</html>"))).toStrictEqual({
      code: "provider_error",
      message: "WordPress answered HTTP 500.",
      retryable: true,
      status: 500,
    });
    expect(wordpressFailure(answer(404, { code: 404, message: ["x"] }))).toStrictEqual({ code: "provider_error", message: "WordPress answered HTTP 404.", retryable: false, status: 404 });
    expect(wordpressFailure(answer(404, { code: "constructor", message: "m" }))).toMatchObject({ code: "provider_error", providerCode: "constructor" });
  });
});

describe("catalog", () => {

  test("descriptions", () => {
    expect(wordpressActions.map(actionSpec)).toMatchInlineSnapshot(`
      [
        {
          "description": "Writes a post on the WordPress site as the connected user: a draft, published, or private.",
          "effect": "write",
          "id": "wordpress.create_post",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "categories": {
                "description": "Category IDs.",
                "items": {
                  "exclusiveMinimum": 0,
                  "maximum": 9007199254740991,
                  "type": "integer",
                },
                "lookup": {
                  "action": "wordpress.list_categories",
                },
                "maxItems": 100,
                "title": "Categories",
                "type": "array",
              },
              "content": {
                "description": "HTML or block markup, as the editor saves it.",
                "examples": [
                  "<p>What changed.</p>",
                ],
                "maxLength": 500000,
                "title": "Content",
                "type": "string",
              },
              "excerpt": {
                "description": "The summary shown in lists.",
                "maxLength": 10000,
                "title": "Excerpt",
                "type": "string",
              },
              "status": {
                "default": "draft",
                "description": "draft: saved, not shown; publish: live; private: only editors see it.",
                "enum": [
                  "draft",
                  "publish",
                  "private",
                ],
                "title": "Status",
                "type": "string",
              },
              "title": {
                "examples": [
                  "Release 1.2",
                ],
                "maxLength": 1000,
                "minLength": 1,
                "title": "Title",
                "type": "string",
              },
            },
            "required": [
              "title",
              "content",
            ],
            "type": "object",
          },
          "kind": "operation",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "id": {
                "description": "The post's ID.",
                "maximum": 9007199254740991,
                "minimum": -9007199254740991,
                "type": "integer",
              },
              "status": {
                "description": "The post's status as WordPress saved it.",
                "type": "string",
              },
              "url": {
                "description": "The post's address (a preview link while it is a draft).",
                "format": "uri",
                "type": "string",
              },
            },
            "required": [
              "id",
              "url",
              "status",
            ],
            "type": "object",
          },
          "providerId": "wordpress",
          "scopes": [],
          "title": "Create a post",
          "version": 1,
        },
        {
          "description": "The site's post categories, by name.",
          "effect": "read",
          "id": "wordpress.list_categories",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "cursor": {
                "description": "From the previous page's nextCursor.",
                "maxLength": 2048,
                "type": "string",
              },
            },
            "type": "object",
          },
          "kind": "lookup",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "nextCursor": {
                "type": "string",
              },
              "options": {
                "items": {
                  "additionalProperties": false,
                  "properties": {
                    "hint": {
                      "type": "string",
                    },
                    "label": {
                      "type": "string",
                    },
                    "value": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "value",
                    "label",
                  ],
                  "type": "object",
                },
                "type": "array",
              },
            },
            "required": [
              "options",
            ],
            "type": "object",
          },
          "providerId": "wordpress",
          "scopes": [],
          "title": "List categories",
          "version": 1,
        },
      ]
    `);
  });
});
