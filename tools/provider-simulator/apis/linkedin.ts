/**
 * LinkedIn's `POST /v2/ugcPosts` as the "Share on LinkedIn" guide uses it
 * (learn.microsoft.com/linkedin/consumer/integrations/self-serve/share-on-linkedin): the
 * `X-Restli-Protocol-Version: 2.0.0` header, a JSON body with `author` (the token's own
 * member, `urn:li:person:<sub>`), `lifecycleState: PUBLISHED`, `specificContent` →
 * `com.linkedin.ugc.ShareContent` (`shareCommentary.text`, `shareMediaCategory` NONE or
 * ARTICLE with `media[].originalUrl`) and `visibility` → `com.linkedin.ugc.MemberNetworkVisibility`
 * (PUBLIC or CONNECTIONS). A post answers 201 with an empty body and its URN in `X-RestLi-Id`.
 * Errors are `{ serviceErrorCode, message, status }`: 403 "Not enough permissions to access:
 * ugcPosts.CREATE.NO_VERSION" without `w_member_social`, 422 `ERROR :: <path> :: <why>` for a
 * field, and for the same text posted twice "Content is a duplicate of urn:li:share:…" (?).
 * An author other than the token's member is refused as a permission error (403 (?)); the
 * message for a missing protocol header is ours (?).
 */
import { empty, header, json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type Share = { urn: string; author: string; text: string };

const SHARE_CONTENT = "com.linkedin.ugc.ShareContent";
const VISIBILITY = "com.linkedin.ugc.MemberNetworkVisibility";

const fail = (status: number, message: string, serviceErrorCode?: number) =>
  json(status, { ...(serviceErrorCode !== undefined ? { serviceErrorCode } : {}), message, status });
const fieldError = (path: string, why: string) => fail(422, `ERROR :: ${path} :: ${why}\n`, 100);

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function createPost(call: ApiCall): SimResponse {
  const { req } = call;
  if (!call.scopes.includes("w_member_social")) return fail(403, "Not enough permissions to access: ugcPosts.CREATE.NO_VERSION", 100);
  if (header(req, "x-restli-protocol-version") !== "2.0.0") {
    return fail(400, "com.linkedin.restli.server.RestLiServiceException: The X-Restli-Protocol-Version header must be 2.0.0 for this resource.");
  }
  const body = req.bodyFormat === "json" ? asObject(req.json) : undefined;
  if (!body) return fail(400, "Unable to parse the request body as JSON.");
  const member = `urn:li:person:${call.account.id}`;
  if (typeof body.author !== "string") return fieldError("/author", "field is required but not found and has no default value");
  if (body.author !== member) return fail(403, `Not enough permissions to access: ugcPosts.CREATE.NO_VERSION (author ${body.author})`, 100);
  if (body.lifecycleState !== "PUBLISHED") return fieldError("/lifecycleState", "is not a valid value for a new share; use PUBLISHED");
  const content = asObject(asObject(body.specificContent)?.[SHARE_CONTENT]);
  if (!content) return fieldError(`/specificContent/${SHARE_CONTENT}`, "field is required but not found and has no default value");
  const text = asObject(content.shareCommentary)?.text;
  if (typeof text !== "string") return fieldError(`/specificContent/${SHARE_CONTENT}/shareCommentary/text`, "field is required but not found and has no default value");
  if (text.length > 3000) {
    return fieldError(`/specificContent/${SHARE_CONTENT}/shareCommentary/text`, `length of ${text.length} exceeds maximum allowed length of 3000`);
  }
  const category = content.shareMediaCategory;
  if (category !== "NONE" && category !== "ARTICLE") return fieldError(`/specificContent/${SHARE_CONTENT}/shareMediaCategory`, "is not a valid enum value");
  if (category === "ARTICLE") {
    const media = Array.isArray(content.media) ? asObject(content.media[0]) : undefined;
    const url = media?.originalUrl;
    if (typeof url !== "string" || !URL.canParse(url)) return fieldError(`/specificContent/${SHARE_CONTENT}/media/0/originalUrl`, "is not a valid URL");
  }
  const visibility = asObject(body.visibility)?.[VISIBILITY];
  if (visibility !== "PUBLIC" && visibility !== "CONNECTIONS") return fieldError(`/visibility/${VISIBILITY}`, "is not a valid enum value");
  const shares = worldOf<Share[]>(call.world, "shares", () => []);
  const duplicate = shares.find((share) => share.author === member && share.text === text);
  if (duplicate) return fail(422, `Content is a duplicate of ${duplicate.urn}`);
  const urn = `urn:li:share:${6_844_785_523_593_134_000n + BigInt(shares.length + 1)}`;
  shares.push({ urn, author: member, text });
  return { ...empty(201), headers: { "x-restli-id": urn } };
}

export function linkedinApi(call: ApiCall): SimResponse | null {
  if (call.apiPath !== "/v2/ugcPosts" || call.req.method !== "POST") return null;
  return createPost(call);
}
