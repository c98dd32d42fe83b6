/**
 * The simulator's HTTP email API and mailbox: it plays Resend's "Send Email" endpoint
 * (https://resend.com/docs/api-reference/emails/send-email) strictly, keeps what was
 * sent, and shows it on a page, so password reset works with no internet.
 *
 *   POST /email-api/emails   Authorization: Bearer <SIM_MAIL_API_KEY>, JSON {from,to,subject,text|html}
 *   GET  /mailbox            every mail, newest first (HTML)
 *   GET  /mailbox/<id>       one mail, its HTML body in a sandboxed frame
 *   GET  /_control/sentMail  the same as JSON (`?to=` filters by recipient)
 *
 * Errors have Resend's shape, `{ statusCode, name, message }`
 * (https://resend.com/docs/api-reference/errors): 401 `missing_api_key`, 403
 * `invalid_api_key`, 422 `missing_required_field` / `validation_error`, 405
 * `method_not_allowed`, 404 `not_found`.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { escapeHtml, header, html, json, type SimRequest, type SimResponse } from "./http-utils";
import type { RouteResult } from "./responses";

/** Where the email API lives on the simulator: point `SWITCHBOARD_MAIL_API_URL` at `<simulator>/email-api`. */
export const MAIL_API_PREFIX = "/email-api";
/** The API key the simulated email API accepts (Resend's keys start with `re_`). */
export const SIM_MAIL_API_KEY = "re_sim_switchboard_mail";
export const MAILBOX_PATH = "/mailbox";
/** Resend takes at most 50 recipients per email. */
const MAX_RECIPIENTS = 50;

/** One accepted email, as the mailbox keeps it. */
export type SentMail = {
  id: string;
  /** Milliseconds since the epoch, when the API accepted it. */
  at: number;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
};

const EMAIL = /^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/;
const NAMED_EMAIL = /^[^<>\r\n]+ <([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>$/;

function resendError(statusCode: number, name: string, message: string): SimResponse {
  return json(statusCode, { statusCode, name, message });
}

function result(response: SimResponse): RouteResult {
  return { providerId: null, endpoint: "mail", response };
}

function keyMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The problem with a send request's body, in Resend's words, or the mail it describes. */
function readMail(body: Record<string, unknown>): SimResponse | Omit<SentMail, "id" | "at"> {
  for (const field of ["from", "to", "subject"] as const) {
    if (body[field] === undefined || body[field] === null || body[field] === "") {
      return resendError(422, "missing_required_field", `Missing \`${field}\` field.`);
    }
  }
  const { from, to, subject, text, html: htmlBody } = body;
  if (typeof from !== "string" || !(EMAIL.test(from) || NAMED_EMAIL.test(from))) {
    return resendError(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
  }
  const recipients = typeof to === "string" ? [to] : to;
  if (!Array.isArray(recipients) || recipients.length === 0 || !recipients.every((r) => typeof r === "string" && EMAIL.test(r))) {
    return resendError(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` format.");
  }
  if (recipients.length > MAX_RECIPIENTS) {
    return resendError(422, "validation_error", `Invalid \`to\` field. You can send to at most ${MAX_RECIPIENTS} recipients.`);
  }
  if (typeof subject !== "string") return resendError(422, "validation_error", "Invalid `subject` field. It must be a string.");
  for (const [field, value] of [["text", text], ["html", htmlBody]] as const) {
    if (value !== undefined && typeof value !== "string") {
      return resendError(422, "validation_error", `Invalid \`${field}\` field. It must be a string.`);
    }
  }
  if (!text && !htmlBody) return resendError(422, "missing_required_field", "Missing `html` or `text` field.");
  return { from, to: recipients as string[], subject, text: (text as string | undefined) || null, html: (htmlBody as string | undefined) || null };
}

/** `POST /email-api/emails`: checks the key and the body the way Resend does, then keeps the mail. */
export function handleMailApi(mailbox: SentMail[], req: SimRequest): RouteResult {
  if (req.path !== `${MAIL_API_PREFIX}/emails`) {
    return result(resendError(404, "not_found", `The requested endpoint does not exist. This simulator sends mail at POST ${MAIL_API_PREFIX}/emails.`));
  }
  if (req.method !== "POST") return result(resendError(405, "method_not_allowed", "Method is not allowed for the requested path."));
  const authorization = header(req, "authorization");
  const key = authorization === undefined ? undefined : /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (key === undefined) return result(resendError(401, "missing_api_key", "Missing API key in the authorization header."));
  if (!keyMatches(key, SIM_MAIL_API_KEY)) return result(resendError(403, "invalid_api_key", "API key is invalid."));
  if (req.bodyFormat !== "json" || typeof req.json !== "object" || req.json === null || Array.isArray(req.json)) {
    return result(resendError(422, "validation_error", "The body must be a JSON object (Content-Type: application/json)."));
  }
  const mail = readMail(req.json as Record<string, unknown>);
  if ("status" in mail) return result(mail);
  const sent: SentMail = { id: randomUUID(), at: Date.now(), ...mail };
  mailbox.push(sent);
  return result(json(200, { id: sent.id }));
}

/** The mailbox, newest first; `to` keeps only mail to that address (case-insensitive). */
export function sentMail(mailbox: readonly SentMail[], filter: { to?: string } = {}): SentMail[] {
  const to = filter.to?.toLowerCase();
  return [...mailbox].reverse().filter((mail) => to === undefined || mail.to.some((r) => r.toLowerCase() === to));
}

const STYLE = `
  :root { color-scheme: light dark; }
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: Canvas; color: CanvasText; }
  main { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
           background: #fef3c7; color: #92400e; border-radius: 999px; padding: .15rem .6rem; }
  article { border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 10px; padding: 1rem; margin: 1rem 0; }
  h1 { font-size: 1.4rem; margin: .5rem 0; }
  h2 { font-size: 1.05rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .75rem; margin: .25rem 0 .75rem; font-size: 13px; }
  dt { opacity: .7; } dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.5 ui-monospace, monospace; margin: 0; }
  iframe { width: 100%; min-height: 24rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 8px; background: #fff; }
`;

function page(title: string, body: string): SimResponse {
  return html(
    200,
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main><span class="badge">Simulated email</span>
${body}
</main></body></html>`,
  );
}

function envelope(mail: SentMail): string {
  return `<dl><dt>From</dt><dd>${escapeHtml(mail.from)}</dd><dt>To</dt><dd data-testid="mail-to">${escapeHtml(mail.to.join(", "))}</dd>
<dt>Sent</dt><dd><time datetime="${new Date(mail.at).toISOString()}">${new Date(mail.at).toISOString().replace("T", " ").slice(0, 19)} UTC</time></dd></dl>`;
}

/** `GET /mailbox` and `GET /mailbox/<id>`: the sent mail, for a person (and a browser test) to read. */
export function handleMailbox(mailbox: readonly SentMail[], req: SimRequest): RouteResult {
  if (req.method !== "GET") return result(resendError(405, "method_not_allowed", "The mailbox only answers GET."));
  if (req.path === MAILBOX_PATH || req.path === `${MAILBOX_PATH}/`) {
    const mails = sentMail(mailbox);
    const items = mails
      .map(
        (mail) => `<article data-testid="mail" aria-labelledby="mail-${mail.id}">
<h2 id="mail-${mail.id}"><a href="${MAILBOX_PATH}/${mail.id}">${escapeHtml(mail.subject || "(no subject)")}</a></h2>
${envelope(mail)}<pre data-testid="mail-text">${escapeHtml(mail.text ?? "(HTML only: open the mail)")}</pre></article>`,
      )
      .join("\n");
    return result(
      page(
        "Mailbox (simulated)",
        `<h1>Mailbox</h1><p>Every email the app sent through the simulated email API, newest first. Reload to see new ones.</p>
${mails.length ? items : "<p data-testid=\"mailbox-empty\">No mail yet.</p>"}`,
      ),
    );
  }
  const id = req.path.slice(MAILBOX_PATH.length + 1);
  const mail = mailbox.find((m) => m.id === id);
  if (!mail) return result({ ...page("Not found", `<h1>No such mail</h1><p><a href="${MAILBOX_PATH}">Back to the mailbox</a></p>`), status: 404 });
  const body = mail.html
    ? `<iframe title="The email's HTML" sandbox srcdoc="${escapeHtml(mail.html)}"></iframe>`
    : `<pre>${escapeHtml(mail.text ?? "")}</pre>`;
  return result(
    page(
      mail.subject,
      `<p><a href="${MAILBOX_PATH}">← Mailbox</a></p><h1>${escapeHtml(mail.subject || "(no subject)")}</h1>${envelope(mail)}${body}
${mail.html && mail.text ? `<h2>Text version</h2><pre>${escapeHtml(mail.text)}</pre>` : ""}`,
    ),
  );
}
