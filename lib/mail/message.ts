/**
 * Email as data: the message, the request that sends it, and how the answer reads.
 *
 * The wire format is Resend's "Send Email" API (https://resend.com/docs/api-reference/emails/send-email):
 * `POST <base>/emails` with `Authorization: Bearer <key>` and a JSON body
 * `{ from, to, subject, text, html }`, answered `200 { "id": "…" }`; errors are
 * `{ statusCode, name, message }` (https://resend.com/docs/api-reference/errors), e.g.
 * 401 `missing_api_key`, 403 `invalid_api_key`, 422 `missing_required_field`, 429
 * `rate_limit_exceeded`. Other HTTP email APIs that take the same shape work too; offline,
 * the provider simulator plays it. Pure: the Convex side (`convex/shared/mail.ts`) sends.
 */
import { USER_AGENT } from "../http/request";

/** One email, text and HTML, to one person. */
export type MailMessage = { from: string; to: string; subject: string; text: string; html: string };

/** Where and how mail is sent: the API base (`https://api.resend.com`), its key, the sender. */
export type MailConfig = { apiUrl: string; apiKey: string; from: string };

/** The request that sends a message: hand it to `sendRequest` (lib/http). */
export type MailRequest = { url: URL; headers: Headers; body: string };

/** How the email API answered: accepted with its id, or refused with its error's name and message. */
export type MailAnswer = { ok: true; id: string } | { ok: false; status: number; name: string; message: string };

/** Escapes text for an HTML body (&, <, >, " and '). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * The `POST <apiUrl>/emails` request for a message. The key travels only in the
 * Authorization header; nothing here logs it.
 * @example mailRequest({ apiUrl: "https://api.resend.com", apiKey, from }, message).url.href // "https://api.resend.com/emails"
 */
export function mailRequest(config: MailConfig, message: MailMessage): MailRequest {
  const url = new URL(`${config.apiUrl.replace(/\/+$/, "")}/emails`);
  const headers = new Headers({
    Authorization: `Bearer ${config.apiKey}`,
    "Content-Type": "application/json",
    Accept: "application/json",
    // Resend refuses requests without a User-Agent (403).
    "User-Agent": USER_AGENT,
  });
  const { from, to, subject, text, html } = message;
  return { url, headers, body: JSON.stringify({ from, to, subject, text, html }) };
}

/** Reads the email API's answer; anything that is not a 2xx with an `id` is a refusal. */
export function readMailAnswer(status: number, body: string): MailAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = null;
  }
  const fields = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (status >= 200 && status < 300 && typeof fields.id === "string" && fields.id !== "") {
    return { ok: true, id: fields.id };
  }
  return {
    ok: false,
    status,
    name: typeof fields.name === "string" ? fields.name : "unexpected_answer",
    message: typeof fields.message === "string" ? fields.message : `HTTP ${status} without an email id`,
  };
}
