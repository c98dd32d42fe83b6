/**
 * Reddit's `POST /api/submit` as the actions use it (www.reddit.com/dev/api/#POST_api_submit):
 * form fields `sr`, `kind`, `title`, `text` / `url`, `api_type`. With `api_type=json` every
 * outcome is HTTP 200 `{ json: { errors: [[code, message, field]], data? } }`, the codes and
 * messages of r2 (github.com/reddit-archive/reddit/blob/master/r2/r2/lib/errors.py); without it
 * the answer is jQuery instructions, which no action can read. A token without `submit` gets
 * 403 with `WWW-Authenticate: Bearer realm="reddit", error="insufficient_scope"` (?).
 * Subreddits: `test` takes both kinds, `linksonly` only links (NO_SELFS), `textonly` only text
 * (NO_LINKS); any other name is SUBREDDIT_NOEXIST. A link already posted to a subreddit is
 * ALREADY_SUB unless `resubmit=true`. Reddit's posting limit depends on the account's karma and
 * age (?); the simulated account may post 3 times in 10 minutes, then gets RATELIMIT with
 * Reddit's "Take a break for N minutes" message.
 */
import { json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type Subreddit = { name: string; self: boolean; link: boolean };
type Post = { id: string; sr: string; kind: string; title: string; url?: string; at: number };

const SUBREDDITS: Subreddit[] = [
  { name: "test", self: true, link: true },
  { name: "linksonly", self: false, link: true },
  { name: "textonly", self: true, link: false },
];

/** Posts the simulated account may make in `WINDOW_MS` before RATELIMIT. */
const POSTS_PER_WINDOW = 3;
const WINDOW_MS = 10 * 60 * 1000;

type RedditError = [string, string, string];
const errors = (...list: RedditError[]) => json(200, { json: { errors: list } });

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 50);
}

function submit(call: ApiCall): SimResponse {
  const params = call.req.bodyFormat === "form" ? call.req.params : {};
  if (params.api_type !== "json") {
    return json(200, { jquery: [[0, 1, "call", ["body"]], [1, 2, "attr", "find"], [2, 3, "call", [".status"]]], success: false });
  }
  const posts = worldOf<Post[]>(call.world, "posts", () => []);
  const recent = posts.filter((post) => post.at > call.now - WINDOW_MS);
  if (recent.length >= POSTS_PER_WINDOW) {
    const minutes = Math.max(1, Math.ceil((recent[0]!.at + WINDOW_MS - call.now) / 60_000));
    return errors(["RATELIMIT", `Looks like you've been doing that a lot. Take a break for ${minutes} minutes before trying again.`, "ratelimit"]);
  }
  const srName = (params.sr ?? "").trim();
  if (!srName) return errors(["SUBREDDIT_REQUIRED", "you must specify a subreddit", "sr"]);
  const subreddit = SUBREDDITS.find((sr) => sr.name.toLowerCase() === srName.toLowerCase());
  if (!subreddit) return errors(["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"]);
  const kind = params.kind ?? "link";
  if (kind !== "self" && kind !== "link") return errors(["INVALID_OPTION", "that option is not valid", "kind"]);
  const title = (params.title ?? "").trim();
  if (!title) return errors(["NO_TEXT", "we need something here", "title"]);
  if (title.length > 300) return errors(["TOO_LONG", "this is too long (max: 300)", "title"]);
  if (kind === "self" && !subreddit.self) return errors(["NO_SELFS", "This community doesn't allow text posts", "sr"]);
  if (kind === "link" && !subreddit.link) return errors(["NO_LINKS", "This community only allows text posts", "sr"]);
  if (kind === "self" && (params.text ?? "").length > 40_000) return errors(["TOO_LONG", "this is too long (max: 40000)", "text"]);
  const url = params.url;
  if (kind === "link") {
    if (!url) return errors(["NO_URL", "a url is required", "url"]);
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return errors(["BAD_URL", "you should check that url", "url"]);
    if (params.resubmit !== "true" && posts.some((post) => post.sr === subreddit.name && post.url === url)) {
      return errors(["ALREADY_SUB", "that link has already been submitted", "url"]);
    }
  }
  const id = (1_000_000 + posts.length + 1).toString(36);
  posts.push({ id, sr: subreddit.name, kind, title, ...(kind === "link" ? { url: url! } : {}), at: call.now });
  return json(200, {
    json: {
      errors: [],
      data: { url: `https://www.reddit.com/r/${subreddit.name}/comments/${id}/${slug(title)}/`, drafts_count: 0, id, name: `t3_${id}` },
    },
  });
}

/** The scope each path needs (www.reddit.com/dev/api, the scope beside each endpoint). */
const PATH_SCOPES: Record<string, string> = { "/api/submit": "submit" };

export function redditApi(call: ApiCall): SimResponse | null {
  const needed = PATH_SCOPES[call.apiPath];
  if (!needed) return null;
  if (!call.scopes.includes(needed)) {
    return json(403, { message: "Forbidden", error: 403 }, { "www-authenticate": 'Bearer realm="reddit", error="insufficient_scope"' });
  }
  if (call.req.method !== "POST") return json(405, { message: "Method Not Allowed", error: 405 });
  return submit(call);
}
