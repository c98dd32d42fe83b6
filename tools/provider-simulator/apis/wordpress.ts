/**
 * The WordPress REST API as the actions use it, under `<simulator>/wordpress/wp-json`:
 * `POST /wp/v2/posts` and `GET /wp/v2/categories` (developer.wordpress.org/rest-api/reference/posts/,
 * …/reference/categories/). Errors are WordPress's `{ code, message, data: { status, params? } }`:
 * 400 `rest_invalid_param` with a message per parameter ("status is not one of publish, future,
 * draft, pending, private.", "categories[0] is not of type integer.", "per_page must be between
 * 1 (inclusive) and 100 (inclusive)"), 400 `rest_post_invalid_page_number` past the last page,
 * 403 `rest_cannot_create` and `rest_cannot_publish` by the user's role. Collections carry
 * `X-WP-Total`, `X-WP-TotalPages` and `Link` rel=next/prev (…/using-the-rest-api/pagination/).
 * The role comes from the Basic username: `subscriber…` may not write, `contributor…` only
 * drafts and pending posts, anyone else (the default `sim-editor`) is an editor. Unknown category
 * IDs are dropped, as `wp_set_object_terms` skips integers it cannot find (?); a post without a
 * category gets Uncategorized (1). 150 categories, names HTML-escaped as WordPress stores them.
 */
import { json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type Category = { id: number; name: string; slug: string; count: number; parent: number };
type Post = { id: number; status: string; title: string; categories: number[] };

const STATUSES = ["publish", "future", "draft", "pending", "private"];
/** What a contributor may save: `publish_posts` is an author's and an editor's capability. */
const CONTRIBUTOR_STATUSES = ["draft", "pending"];

function categories(): Category[] {
  const list: Category[] = [
    { id: 1, name: "Uncategorized", slug: "uncategorized", count: 0, parent: 0 },
    { id: 2, name: "News &amp; Events", slug: "news-events", count: 0, parent: 0 },
  ];
  for (let id = 3; list.length < 150; id += 1) {
    list.push({ id, name: `Topic ${String(id).padStart(3, "0")}`, slug: `topic-${id}`, count: 0, parent: id % 10 === 0 ? 2 : 0 });
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const wpError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { code, message, data: { status, ...extra } });

function invalidParams(params: Record<string, string>): SimResponse {
  return wpError(400, "rest_invalid_param", `Invalid parameter(s): ${Object.keys(params).join(", ")}`, { params });
}

function roleOf(call: ApiCall): "subscriber" | "contributor" | "editor" {
  const username = call.account.name;
  if (username.startsWith("subscriber")) return "subscriber";
  if (username.startsWith("contributor")) return "contributor";
  return "editor";
}

/** A positive integer query parameter, its default when absent, or null when it is not one. */
function intParam(call: ApiCall, name: string, fallback: number): number | null {
  const raw = call.req.query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function listCategories(call: ApiCall): SimResponse {
  const perPage = intParam(call, "per_page", 10);
  const page = intParam(call, "page", 1);
  if (perPage === null || perPage < 1 || perPage > 100) return invalidParams({ per_page: "per_page must be between 1 (inclusive) and 100 (inclusive)" });
  if (page === null || page < 1) return invalidParams({ page: "page must be greater than or equal to 1" });
  const all = worldOf(call.world, "categories", categories);
  const pages = Math.ceil(all.length / perPage);
  if (all.length > 0 && page > pages) {
    return wpError(400, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.");
  }
  const base = `${call.baseUrl}/wordpress/wp-json/wp/v2/categories`;
  const links = [
    ...(page > 1 ? [`<${base}?per_page=${perPage}&page=${page - 1}>; rel="prev"`] : []),
    ...(page < pages ? [`<${base}?per_page=${perPage}&page=${page + 1}>; rel="next"`] : []),
  ];
  const slice = all.slice((page - 1) * perPage, page * perPage).map((category) => ({
    ...category,
    description: "",
    link: `${call.baseUrl}/wordpress/category/${category.slug}/`,
    taxonomy: "category",
    meta: [],
  }));
  return json(200, slice, {
    "x-wp-total": String(all.length),
    "x-wp-totalpages": String(pages),
    ...(links.length > 0 ? { link: links.join(", ") } : {}),
  });
}

/** `title`, `content` and `excerpt` may be a string or `{ raw }`. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const raw = (value as { raw?: unknown } | null | undefined)?.raw;
  return typeof value === "object" && value !== null && typeof raw === "string" ? raw : undefined;
}

function createPost(call: ApiCall): SimResponse {
  const role = roleOf(call);
  if (role === "subscriber") return wpError(403, "rest_cannot_create", "Sorry, you are not allowed to create posts as this user.");
  const { req } = call;
  const body = (req.bodyFormat === "json" && typeof req.json === "object" && req.json !== null && !Array.isArray(req.json) ? req.json : req.params) as Record<string, unknown>;
  const bad: Record<string, string> = {};
  for (const name of ["title", "content", "excerpt"]) {
    if (body[name] !== undefined && textOf(body[name]) === undefined) bad[name] = `${name} is not of type object,string.`;
  }
  const status = body.status ?? "draft";
  if (typeof status !== "string" || !STATUSES.includes(status)) bad.status = `status is not one of ${STATUSES.join(", ")}.`;
  const requested = body.categories;
  if (requested !== undefined) {
    if (!Array.isArray(requested)) bad.categories = "categories is not of type array.";
    else {
      const index = requested.findIndex((id) => !Number.isInteger(id));
      if (index >= 0) bad.categories = `categories[${index}] is not of type integer.`;
    }
  }
  if (Object.keys(bad).length > 0) return invalidParams(bad);
  if (role === "contributor" && !CONTRIBUTOR_STATUSES.includes(status as string)) {
    return wpError(403, "rest_cannot_publish", "Sorry, you are not allowed to publish posts in this post type.");
  }
  const known = worldOf(call.world, "categories", categories);
  const chosen = ((requested as number[] | undefined) ?? []).filter((id) => known.some((category) => category.id === id));
  const posts = worldOf<Post[]>(call.world, "posts", () => []);
  const id = 100 + posts.length + 1;
  const title = textOf(body.title) ?? "";
  const post: Post = { id, status: status as string, title, categories: chosen.length > 0 ? chosen : [1] };
  posts.push(post);
  for (const category of known) if (post.categories.includes(category.id)) category.count += 1;
  const date = new Date(call.now).toISOString().slice(0, 19);
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || String(id);
  const site = `${call.baseUrl}/wordpress`;
  const live = post.status === "publish";
  return json(201, {
    id,
    date,
    date_gmt: date,
    guid: { rendered: `${site}/?p=${id}`, raw: `${site}/?p=${id}` },
    modified: date,
    slug: live ? slug : "",
    status: post.status,
    type: "post",
    link: live ? `${site}/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${slug}/` : `${site}/?p=${id}`,
    title: { raw: title, rendered: title },
    content: { raw: textOf(body.content) ?? "", rendered: textOf(body.content) ?? "", protected: false },
    excerpt: { raw: textOf(body.excerpt) ?? "", rendered: textOf(body.excerpt) ?? "", protected: false },
    author: call.account.id,
    categories: post.categories,
    tags: [],
  });
}

export function wordpressApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  if (apiPath === "/wp/v2/categories" && req.method === "GET") return listCategories(call);
  if (apiPath === "/wp/v2/posts" && req.method === "POST") return createPost(call);
  return null;
}
