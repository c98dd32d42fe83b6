/**
 * Reddit API actions (base https://oauth.reddit.com, the catalog's User-Agent on every call:
 * github.com/reddit-archive/reddit/wiki/API, "Rules").
 * Submit: `POST /api/submit`, form-encoded, scope `submit` (www.reddit.com/dev/api/#POST_api_submit):
 * `sr`, `kind` (`self` with `text`, or `link` with `url`), `title` (at most 300 characters),
 * and `api_type=json`, without which the answer is jQuery instructions. With it Reddit answers
 * HTTP 200 `{ json: { errors: [[code, message, field]], data: { id, name, url } } }`; the codes
 * are r2's (github.com/reddit-archive/reddit/blob/master/r2/r2/lib/errors.py): SUBREDDIT_NOEXIST
 * (sr), NO_TEXT / TOO_LONG (title), BAD_URL / NO_URL / ALREADY_SUB (url), NO_SELFS / NO_LINKS
 * (sr), and RATELIMIT, whose message says how long to wait ("Take a break for 9 minutes before
 * trying again."). A self post's text takes 40,000 characters (?). A token without the scope
 * gets 403 with `WWW-Authenticate: … error="insufficient_scope"` (?); a 429 carries
 * `x-ratelimit-reset`, the seconds until the window resets (wiki/API, "Rules").
 */
import { z } from "zod";
import { defineAction, type ActionAnswer } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";

const REDDIT = "Reddit";

/** Reddit's form field names, as the action's input names them. */
const INPUT_FIELDS = new Map([
  ["sr", "subreddit"],
  ["title", "title"],
  ["text", "text"],
  ["url", "url"],
  ["kind", "kind"],
]);

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000 };

/** The wait a RATELIMIT message names ("Take a break for 9 minutes"), in milliseconds. */
export function rateLimitWaitMs(message: string): number | undefined {
  const said = /(\d+)\s*(second|minute|hour)s?\b/i.exec(message);
  return said ? Number(said[1]) * UNIT_MS[said[2]!.toLowerCase()]! : undefined;
}

type RedditErrorTuple = [code: string, message: string, field?: string];

/** Reddit's `[code, message, field]` errors, keeping only well-formed ones. */
function errorsOf(body: unknown): RedditErrorTuple[] | undefined {
  const errors = (body as { json?: { errors?: unknown } } | undefined)?.json?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.filter(
    (error): error is RedditErrorTuple => Array.isArray(error) && typeof error[0] === "string" && typeof error[1] === "string",
  );
}

/** The seconds Reddit's `x-ratelimit-reset` says, when there is no Retry-After. */
function resetMs(headers: Record<string, string>): number | undefined {
  const reset = headers["x-ratelimit-reset"];
  return reset !== undefined && /^\d+$/.test(reset) ? Number(reset) * 1000 : undefined;
}

/** A Reddit answer's failure: the status first, then the `json.errors` of a 200. Null when it succeeded. */
export function redditFailure(answer: ActionAnswer): ActionFailure | null {
  const { status, headers } = answer;
  if (status === 403 && headers["www-authenticate"]?.includes("insufficient_scope")) {
    return { code: "missing_scope", message: "Reddit needs the scope submit: reconnect Reddit and grant it.", retryable: false, status };
  }
  if (status === 429) {
    const failure = failureOfStatus(answer, REDDIT);
    const after = failure.retryAfterMs ?? resetMs(headers);
    return { ...failure, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  if (status !== 200) return failureOfStatus(answer, REDDIT);
  const errors = errorsOf(answer.json);
  if (errors === undefined) {
    return { code: "provider_error", message: "Reddit answered without its json.errors list.", retryable: false, status };
  }
  const [first] = errors;
  if (!first) return null;
  const [code, message] = first;
  if (code === "RATELIMIT") {
    const after = retryAfterMs(headers) ?? rateLimitWaitMs(message);
    return {
      code: "rate_limited",
      message: `Reddit is rate limiting these posts: ${message}`,
      retryable: true,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
      providerCode: code,
      status,
    };
  }
  const fields: Record<string, string> = {};
  for (const [, said, field] of errors) {
    // A Map, so a field Reddit names "constructor" is nobody's; a tuple without one has none.
    const name = INPUT_FIELDS.get(field!);
    if (name) fields[name] ??= said;
  }
  return providerValidationFailure(REDDIT, message, fields, { providerCode: code, status });
}

const submitInput = z
  .object({
    subreddit: z
      .string()
      .trim()
      .meta({ title: "Subreddit", description: "Its name, with or without r/.", examples: ["test"] })
      .transform((name) => name.replace(/^\/?r\//i, ""))
      .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_]{2,20}$/, "A subreddit name like AskReddit (3 to 21 letters, digits or _).")),
    kind: z.enum(["self", "link"]).default("self").meta({ title: "Kind", description: "self: a text post; link: a post of a URL." }),
    title: z
      .string()
      .trim()
      .min(1, "Give the post a title.")
      .max(300, "Reddit takes at most 300 characters.")
      .meta({ title: "Title", examples: ["Release 1.2 is out"] }),
    text: z
      .string()
      .max(40_000, "Reddit takes at most 40,000 characters.")
      .optional()
      .meta({ title: "Text", description: "The body of a text post, in Markdown." }),
    url: z
      .url({ protocol: /^https?$/, error: "A web address starting with https:// or http://." })
      .optional()
      .meta({ title: "Link", description: "The address a link post points to.", examples: ["https://example.com/release-notes"] }),
  })
  .refine((input) => input.kind !== "link" || input.url !== undefined, { path: ["url"], message: "A link post needs its link." })
  .refine((input) => input.kind !== "link" || !input.text, { path: ["text"], message: "A link post has no text." })
  .refine((input) => input.kind !== "self" || input.url === undefined, { path: ["url"], message: "A text post has no link; choose link." });

export const redditSubmitPost = defineAction({
  id: "reddit.submit_post",
  version: 1,
  providerId: "reddit",
  title: "Submit a post",
  description: "Posts a text or link post to a subreddit as the connected Reddit account.",
  effect: "write",
  scopes: ["submit"],
  input: submitInput,
  output: z.object({
    id: z.string().describe("The post's ID (base 36)."),
    name: z.string().describe("Its fullname, t3_ and the ID: what other Reddit calls take."),
    url: z.url().describe("Where the post is."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/api/submit",
    body: {
      form: {
        api_type: "json",
        sr: input.subreddit,
        kind: input.kind,
        title: input.title,
        ...(input.kind === "link" ? { url: input.url! } : input.text ? { text: input.text } : {}),
      },
    },
  }),
  response: (answer) => {
    const failure = redditFailure(answer);
    if (failure) return { ok: false, error: failure };
    const { id, name, url } = (answer.json as { json: { data: { id: string; name: string; url: string } } }).json.data;
    return { ok: true, output: { id, name, url } };
  },
});

export const redditActions = [redditSubmitPost];
