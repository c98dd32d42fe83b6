/**
 * LinkedIn actions (base https://api.linkedin.com), for the "Share on LinkedIn" product and its
 * `w_member_social` scope (learn.microsoft.com/linkedin/consumer/integrations/self-serve/share-on-linkedin).
 * That guide creates every member post with `POST /v2/ugcPosts` and the header
 * `X-Restli-Protocol-Version: 2.0.0`; the versioned `/rest/posts` (with `LinkedIn-Version`) is
 * the Marketing products' replacement, whose version would need bumping yearly, and the guide
 * does not use it. The author is `urn:li:person:{id}`, the id being the OpenID Connect `sub` the
 * connection's account id holds (learn.microsoft.com/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2).
 * A created post answers 201 with its URN in the `X-RestLi-Id` header (`urn:li:share:…`, or
 * `urn:li:ugcPost:…`); a body `id` is read when the header is absent (?). Commentary takes
 * 3,000 characters. Errors are `{ status, serviceErrorCode, message }`: 401 for a dead token
 * (serviceErrorCode 65600 (?)), 403 "Not enough permissions to access: ugcPosts.CREATE…"
 * (serviceErrorCode 100) without the scope, 422 for a field at fault, the message naming it as
 * `ERROR :: /specificContent/…/shareCommentary/text :: …`, or a duplicate post
 * ("Content is a duplicate of urn:li:share:…" (?)), and 429 for the app's or member's daily limit.
 */
import { z } from "zod";
import { defineAction, type ActionAnswer } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";

const LINKEDIN = "LinkedIn";

/** Which input a LinkedIn error path (`/specificContent/…/shareCommentary/text`) is about. */
function inputOfPath(path: string): string | undefined {
  if (path.includes("shareCommentary")) return "text";
  if (path.includes("media")) return "link";
  if (path.startsWith("/visibility")) return "visibility";
  return undefined;
}

/** The fields a 400/422 message names: each `ERROR :: <path> :: <why>` line, or a duplicate post. */
function fieldsOf(message: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, path, why] of message.matchAll(/ERROR :: (\/\S*) :: ([^\n]+)/g)) {
    const name = inputOfPath(path!);
    if (name) fields[name] ??= why!.trim();
  }
  if (/duplicate/i.test(message)) fields.text ??= "LinkedIn already has this post; change the text.";
  return fields;
}

/** A LinkedIn answer's failure, or null when it succeeded (2xx). */
export function linkedinFailure(answer: ActionAnswer): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (answer.json ?? {}) as { serviceErrorCode?: unknown; message?: unknown };
  const message = typeof body.message === "string" ? body.message.trim() : "";
  const providerCode = typeof body.serviceErrorCode === "number" ? { providerCode: String(body.serviceErrorCode) } : {};
  if (status === 403 && /not enough permissions/i.test(message)) {
    return {
      code: "missing_scope",
      message: "LinkedIn needs the scope w_member_social: reconnect LinkedIn and grant it.",
      retryable: false,
      ...providerCode,
      status,
    };
  }
  if ((status === 400 || status === 422) && message) {
    return providerValidationFailure(LINKEDIN, message, fieldsOf(message), { ...providerCode, status });
  }
  return { ...failureOfStatus(answer, LINKEDIN, message.replace(/[.\s]+$/, "")), ...providerCode };
}

/** A LinkedIn member id, as OpenID Connect's `sub` gives it (`782bbtaQ`). */
const MEMBER_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const linkedinSharePost = defineAction({
  id: "linkedin.share_post",
  version: 1,
  providerId: "linkedin",
  title: "Share a post",
  description: "Posts to the connected member's LinkedIn feed, optionally sharing a link.",
  effect: "write",
  scopes: ["w_member_social"],
  input: z.object({
    text: z
      .string()
      .trim()
      .min(1, "Write the post.")
      .max(3000, "LinkedIn takes at most 3,000 characters.")
      .meta({ title: "Text", description: "The post's commentary; #hashtags work.", examples: ["We shipped release 1.2 today."] }),
    visibility: z
      .enum(["PUBLIC", "CONNECTIONS"])
      .default("PUBLIC")
      .meta({ title: "Who can see it", description: "PUBLIC: anyone on or off LinkedIn; CONNECTIONS: the member's connections." }),
    link: z
      .url({ protocol: /^https?$/, error: "A web address starting with https:// or http://." })
      .optional()
      .meta({ title: "Link", description: "An article to share with the post.", examples: ["https://example.com/release-notes"] }),
  }),
  output: z.object({ id: z.string().min(1).describe("The post's URN (urn:li:share:… or urn:li:ugcPost:…).") }),
  request: (input, context) => {
    const member = context.accountId;
    if (member === undefined || !MEMBER_ID.test(member)) {
      throw new Error("This LinkedIn connection has no member id to post as; reconnect LinkedIn.");
    }
    return {
      method: "POST",
      path: "/v2/ugcPosts",
      headers: { "X-Restli-Protocol-Version": "2.0.0" },
      body: {
        json: {
          author: `urn:li:person:${member}`,
          lifecycleState: "PUBLISHED",
          specificContent: {
            "com.linkedin.ugc.ShareContent": {
              shareCommentary: { text: input.text },
              shareMediaCategory: input.link ? "ARTICLE" : "NONE",
              ...(input.link ? { media: [{ status: "READY", originalUrl: input.link }] } : {}),
            },
          },
          visibility: { "com.linkedin.ugc.MemberNetworkVisibility": input.visibility },
        },
      },
    };
  },
  response: (answer) => {
    const failure = linkedinFailure(answer);
    if (failure) return { ok: false, error: failure };
    // Checked by the output schema: an answer without either is one the action cannot read.
    const id = answer.headers["x-restli-id"] ?? ((answer.json ?? {}) as { id?: string }).id;
    return { ok: true, output: { id: id as string } };
  },
});

export const linkedinActions = [linkedinSharePost];
