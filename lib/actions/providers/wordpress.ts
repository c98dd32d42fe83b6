/**
 * WordPress REST API actions, under the connection's site + `/wp-json` (the catalog's
 * `apiBasePath`; a site without pretty permalinks serves the API only at `?rest_route=` (?)),
 * as the user whose application password the connection holds (Basic auth).
 * Create a post: `POST /wp/v2/posts` with `title`, `content`, `status` (publish, future, draft,
 * pending, private), `categories` (term IDs) and `excerpt` → 201 with the post (`id`, `link`,
 * `status`…) (developer.wordpress.org/rest-api/reference/posts/#create-a-post).
 * Categories: `GET /wp/v2/categories?per_page=100&page=N`, at most 100 a page, the page count in
 * `X-WP-TotalPages`, a page past the end 400 `rest_post_invalid_page_number`
 * (developer.wordpress.org/rest-api/reference/categories/; …/rest-api/using-the-rest-api/pagination/).
 * Term names come HTML-escaped (`News &amp; Events`) (?).
 * Errors are `{ code, message, data: { status, params? } }`: 400 `rest_invalid_param` with a
 * message per parameter in `data.params`, 403 `rest_cannot_create` ("Sorry, you are not allowed
 * to create posts as this user."), `rest_cannot_publish` for a user who may only write drafts,
 * `rest_cannot_assign_term`, and 401 `incorrect_password` / `invalid_username`
 * (developer.wordpress.org/rest-api/using-the-rest-api/global-parameters/ and core's
 * WP_REST_Posts_Controller). Unknown category IDs are dropped, not refused (?).
 */
import { z } from "zod";
import { defineAction, type ActionAnswer } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const WORDPRESS = "WordPress";

/** WordPress codes that say which input is at fault, and how to say it. */
const INPUT_CODES = new Map<string, [field: string, said: string]>([
  ["rest_cannot_publish", ["status", "This WordPress user may only save drafts; choose draft."]],
  ["rest_cannot_assign_term", ["categories", "This WordPress user may not use these categories."]],
  ["rest_post_invalid_page_number", ["cursor", "There is no such page of categories."]],
]);

type WordPressError = { code?: unknown; message?: unknown; data?: { params?: unknown } };

/** A WordPress answer's failure, or null when it succeeded (2xx). */
export function wordpressFailure(answer: ActionAnswer): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (answer.json ?? {}) as WordPressError;
  const code = typeof body.code === "string" ? body.code : "";
  const message = typeof body.message === "string" ? body.message : "";
  const providerCode = code ? { providerCode: code } : {};
  if (code === "rest_cannot_create") {
    return {
      code: "missing_scope",
      message: "This WordPress user may not create posts: connect WordPress as an author, editor or administrator.",
      retryable: false,
      providerCode: code,
      status,
    };
  }
  const input = INPUT_CODES.get(code);
  if (input) return providerValidationFailure(WORDPRESS, message || code, { [input[0]]: input[1] }, { providerCode: code, status });
  const params = body.data?.params;
  if (status === 400 && message && typeof params === "object" && params !== null) {
    const fields = Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    return providerValidationFailure(WORDPRESS, message, fields, { ...providerCode, status });
  }
  return { ...failureOfStatus(answer, WORDPRESS, code), ...providerCode };
}

export const wordpressCreatePost = defineAction({
  id: "wordpress.create_post",
  version: 1,
  providerId: "wordpress",
  title: "Create a post",
  description: "Writes a post on the WordPress site as the connected user: a draft, published, or private.",
  effect: "write",
  scopes: [],
  input: z.object({
    title: z
      .string()
      .trim()
      .min(1, "Give the post a title.")
      .max(1000, "Keep the title under 1,000 characters.")
      .meta({ title: "Title", examples: ["Release 1.2"] }),
    content: z
      .string()
      .max(500_000, "Keep the content under 500,000 characters.")
      .meta({ title: "Content", description: "HTML or block markup, as the editor saves it.", examples: ["<p>What changed.</p>"] }),
    status: z
      .enum(["draft", "publish", "private"])
      .default("draft")
      .meta({ title: "Status", description: "draft: saved, not shown; publish: live; private: only editors see it." }),
    categories: z
      .array(z.number().int("A category ID is a whole number.").positive("A category ID is a whole number."))
      .max(100, "At most 100 categories.")
      .optional()
      .meta({ title: "Categories", description: "Category IDs.", ...fromLookup("wordpress.list_categories") }),
    excerpt: z.string().max(10_000, "Keep the excerpt under 10,000 characters.").optional().meta({ title: "Excerpt", description: "The summary shown in lists." }),
  }),
  output: z.object({
    id: z.number().int().describe("The post's ID."),
    url: z.url().describe("The post's address (a preview link while it is a draft)."),
    status: z.string().describe("The post's status as WordPress saved it."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/wp/v2/posts",
    body: {
      json: {
        title: input.title,
        content: input.content,
        status: input.status,
        ...(input.categories ? { categories: input.categories } : {}),
        ...(input.excerpt !== undefined ? { excerpt: input.excerpt } : {}),
      },
    },
  }),
  response: (answer) => {
    const failure = wordpressFailure(answer);
    if (failure) return { ok: false, error: failure };
    const body = answer.json as { id: number; link: string; status: string };
    return { ok: true, output: { id: body.id, url: body.link, status: body.status } };
  },
});

/** Categories per page: WordPress's own maximum for `per_page`. */
const CATEGORIES_PAGE_SIZE = "100";

/** The page a lookup cursor holds: `undefined` is the first. */
function pageOf(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  if (!/^[1-9]\d{0,5}$/.test(cursor)) throw new Error("This cursor was not given by the category lookup.");
  return Number(cursor);
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#039;": "'" };

/** A term name as WordPress escapes it, read back (`News &amp; Events` → `News & Events`). */
export function unescapeTermName(name: string): string {
  return name.replace(/&(amp|lt|gt|quot|#039);/g, (entity) => ENTITIES[entity]!);
}

export const wordpressListCategories = defineAction({
  id: "wordpress.list_categories",
  version: 1,
  providerId: "wordpress",
  kind: "lookup",
  title: "List categories",
  description: "The site's post categories, by name.",
  effect: "read",
  scopes: [],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/wp/v2/categories",
    query: { per_page: CATEGORIES_PAGE_SIZE, page: String(pageOf(input.cursor)) },
  }),
  response: (answer, input) => {
    const failure = wordpressFailure(answer);
    if (failure) return { ok: false, error: failure };
    const page = pageOf(input.cursor);
    // NaN when WordPress gave no count: then there is no next page.
    const pages = Number(answer.headers["x-wp-totalpages"]);
    const terms = answer.json as Array<{ id: number; name: string }>;
    return {
      ok: true,
      output: {
        options: terms.map((term) => ({ value: String(term.id), label: unescapeTermName(term.name) })),
        ...(page < pages ? { nextCursor: String(page + 1) } : {}),
      },
    };
  },
});

export const wordpressActions = [wordpressCreatePost, wordpressListCategories];
