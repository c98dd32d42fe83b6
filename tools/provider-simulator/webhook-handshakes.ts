/**
 * The checks providers run against a webhook URL before they send it anything, as the
 * provider runs them: one request to the URL (never a redirect followed), within the
 * provider's time limit, and the answer held to what the provider holds it to. For the
 * simulator's own API routes that create subscriptions (Graph's `POST /subscriptions`
 * validates the notificationUrl before it answers) and for tests of the app's answers.
 *
 * Each returns ok, or why not: the status (0 when no answer came) and a sentence.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { buildDelivery, deliver, slackChallengeFor, zoomPlainTokenFor } from "./webhooks";

export type HandshakeResult = { ok: true; status: number } | { ok: false; status: number; why: string };
export type HandshakeOptions = { timeoutMs?: number };

type Answer = Awaited<ReturnType<typeof deliver>>;

/** The refusals every check shares: no answer, or a redirect (providers follow none here). */
function unanswered(answer: Answer): HandshakeResult | null {
  if (answer.status === 0) return { ok: false, status: 0, why: answer.error ?? "no answer" };
  if (answer.status >= 300 && answer.status < 400) {
    return { ok: false, status: answer.status, why: `answered a redirect (${answer.status} to ${answer.headers.location ?? "nowhere"}); the URL must answer itself` };
  }
  return null;
}

const refuse = (answer: Answer, why: string): HandshakeResult => ({ ok: false, status: answer.status, why });
const pass = (answer: Answer): HandshakeResult => ({ ok: true, status: answer.status });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Slack's Request URL check: a signed `url_verification` event; the URL must answer 200 with
 * the challenge, as plain text, as `challenge=` form data or as JSON `{"challenge"}`, within
 * 3 s [api.slack.com/events/url_verification].
 */
export async function slackUrlVerification(url: string, signingSecret: string, options: HandshakeOptions = {}): Promise<HandshakeResult> {
  const deliveryId = `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
  const at = Date.now();
  const delivery = buildDelivery("slack", { event: "url_verification", data: {}, deliveryId, eventAt: at, sentAt: at, secret: signingSecret, url, account: null, sequence: 1, attempt: 0 }, null);
  const answer = await deliver(url, delivery, options.timeoutMs ?? 3_000);
  const early = unanswered(answer);
  if (early) return early;
  if (answer.status !== 200) return refuse(answer, `answered ${answer.status}, not 200`);
  const challenge = slackChallengeFor(deliveryId);
  const type = answer.headers["content-type"] ?? "";
  const echoed = type.includes("json")
    ? (parseJson(answer.body) as { challenge?: unknown } | undefined)?.challenge
    : type.includes("x-www-form-urlencoded")
      ? new URLSearchParams(answer.body).get("challenge")
      : answer.body.trim();
  return echoed === challenge ? pass(answer) : refuse(answer, "did not answer the challenge");
}

/**
 * Zoom's URL validation: a signed `endpoint.url_validation` event with `payload.plainToken`;
 * the URL must answer 200 JSON `{plainToken, encryptedToken}`, encryptedToken the hex
 * HMAC-SHA256 of plainToken under the secret token, within 3 s
 * [developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint].
 */
export async function zoomUrlValidation(url: string, secretToken: string, options: HandshakeOptions = {}): Promise<HandshakeResult> {
  const deliveryId = `sim_${randomUUID()}`;
  const at = Date.now();
  const delivery = buildDelivery("zoom", { event: "endpoint.url_validation", data: {}, deliveryId, eventAt: at, sentAt: at, secret: secretToken, url, account: null, sequence: 1, attempt: 0 }, null);
  const answer = await deliver(url, delivery, options.timeoutMs ?? 3_000);
  const early = unanswered(answer);
  if (early) return early;
  if (answer.status !== 200) return refuse(answer, `answered ${answer.status}, not 200`);
  const plainToken = zoomPlainTokenFor(deliveryId);
  const body = parseJson(answer.body) as { plainToken?: unknown; encryptedToken?: unknown } | undefined;
  if (body?.plainToken !== plainToken) return refuse(answer, "did not echo the plainToken as JSON");
  const expected = createHmac("sha256", secretToken).update(plainToken).digest("hex");
  return body.encryptedToken === expected ? pass(answer) : refuse(answer, "encryptedToken is not the HMAC of the plainToken under the secret token");
}

/**
 * Asana's handshake: a POST with `X-Hook-Secret`; the target must answer 200 or 204 with the
 * same `X-Hook-Secret` [developers.asana.com/reference/createwebhook]. The secret then signs
 * every delivery, so a passed handshake hands it back. The 10 s limit is Asana's delivery
 * limit (?).
 */
export async function asanaHandshake(target: string, options: HandshakeOptions = {}): Promise<(HandshakeResult & { ok: false }) | { ok: true; status: number; secret: string }> {
  const secret = randomBytes(32).toString("hex");
  const answer = await deliver(target, { headers: { "X-Hook-Secret": secret } }, options.timeoutMs ?? 10_000);
  const early = unanswered(answer);
  if (early) return early as HandshakeResult & { ok: false };
  if (answer.status !== 200 && answer.status !== 204) return refuse(answer, `answered ${answer.status}, not 200 or 204`) as HandshakeResult & { ok: false };
  if (answer.headers["x-hook-secret"] !== secret) return refuse(answer, "did not echo X-Hook-Secret") as HandshakeResult & { ok: false };
  return { ok: true, status: answer.status, secret };
}

/**
 * Graph's notification URL validation: `POST <notificationUrl>?validationToken=<token>`
 * (text/plain, no body); the URL must answer 200, `text/plain`, the decoded token as the
 * whole body, within 10 s [learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation].
 * The token's wording is Graph's (?); it holds spaces and a colon, so it must be decoded.
 */
export async function graphValidate(notificationUrl: string, options: HandshakeOptions = {}): Promise<HandshakeResult> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const url = new URL(notificationUrl);
  url.searchParams.set("validationToken", token);
  const answer = await deliver(url.toString(), { headers: { "Content-Type": "text/plain; charset=utf-8" } }, options.timeoutMs ?? 10_000);
  const early = unanswered(answer);
  if (early) return early;
  if (answer.status !== 200) return refuse(answer, `answered ${answer.status}, not 200`);
  if (!(answer.headers["content-type"] ?? "").startsWith("text/plain")) return refuse(answer, `answered ${answer.headers["content-type"] ?? "no content type"}, not text/plain`);
  return answer.body === token ? pass(answer) : refuse(answer, "did not answer the validation token, decoded, as the whole body");
}

/**
 * Trello's callback check when a webhook is created: `HEAD <callbackURL>`, which must answer
 * 200 [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks]. The 10 s limit is ours (?).
 */
export async function trelloHeadCheck(callbackURL: string, options: HandshakeOptions = {}): Promise<HandshakeResult> {
  const answer = await deliver(callbackURL, { method: "HEAD", headers: {} }, options.timeoutMs ?? 10_000);
  const early = unanswered(answer);
  if (early) return early;
  return answer.status === 200 ? pass(answer) : refuse(answer, `answered ${answer.status}, not 200`);
}

/**
 * Notion's subscription check: one unsigned POST `{"verification_token"}`, which the admin
 * then pastes back into Notion; the token signs every later delivery
 * [developers.notion.com/reference/webhooks]. Notion holds the answer only to a 2xx (?).
 */
export async function notionVerification(url: string, options: HandshakeOptions & { token?: string } = {}): Promise<(HandshakeResult & { ok: false }) | { ok: true; status: number; token: string }> {
  const token = options.token ?? `secret_${randomBytes(24).toString("base64url")}`;
  const body = new TextEncoder().encode(JSON.stringify({ verification_token: token }));
  const answer = await deliver(url, { headers: { "Content-Type": "application/json" }, body }, options.timeoutMs ?? 10_000);
  const early = unanswered(answer);
  if (early) return early as HandshakeResult & { ok: false };
  if (answer.status < 200 || answer.status >= 300) return refuse(answer, `answered ${answer.status}, not 2xx`) as HandshakeResult & { ok: false };
  return { ok: true, status: answer.status, token };
}

/** The handshake each provider runs, by scheme id, for the control API. */
export async function webhookHandshake(
  providerId: string,
  url: string,
  secret?: string,
  options: HandshakeOptions = {},
): Promise<{ ok: boolean; status: number; why?: string; secret?: string; token?: string }> {
  const needSecret = () => {
    if (typeof secret !== "string" || secret === "") throw new Error(`${providerId}'s check is signed: give the secret`);
    return secret;
  };
  switch (providerId) {
    case "slack":
      return await slackUrlVerification(url, needSecret(), options);
    case "zoom":
      return await zoomUrlValidation(url, needSecret(), options);
    case "asana":
      return await asanaHandshake(url, options);
    case "microsoft":
    case "microsoft_graph":
      return await graphValidate(url, options);
    case "trello":
      return await trelloHeadCheck(url, options);
    case "notion":
      return await notionVerification(url, { ...options, ...(secret ? { token: secret } : {}) });
    default:
      throw new Error(`providerId must be one of slack, zoom, asana, microsoft_graph, trello, notion (the providers with a URL check), got ${JSON.stringify(providerId)}`);
  }
}
