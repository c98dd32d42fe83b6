/**
 * Gmail API v1 action, below https://gmail.googleapis.com (paths start at `/gmail/v1`).
 * Errors are Google's (./google.ts).
 *
 * - developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send: `POST
 *   /gmail/v1/users/me/messages/send` with a Message whose `raw` is the whole RFC 5322 message,
 *   base64url-encoded (…/users.messages, "raw"); the answer is the sent Message `{ id,
 *   threadId, labelIds }`. It goes to the To, Cc and Bcc recipients (Gmail drops the Bcc
 *   header); Gmail fills in From, Date and Message-ID. Scopes: `gmail.send`, `gmail.compose`,
 *   `gmail.modify` or `https://mail.google.com/` (only the first three are in the catalog).
 *   A malformed header is 400 "Invalid To header" (seen in client issue trackers (?)).
 * - The message (RFC 5322 §2.1, §2.2.3, §3.6; RFC 2045/2046 for MIME): CRLF line ends;
 *   header lines folded at 78 characters where they can be; a subject that is not printable
 *   ASCII as RFC 2047 "B" encoded-words of at most 75 characters, split on whole characters;
 *   bodies in UTF-8 as base64 in lines of 76 (RFC 2045 §6.8), as `text/plain`, or as
 *   `multipart/alternative` with a `text/html` part after it (RFC 2046 §5.1.4: the preferred
 *   part last). A header value may never hold CR or LF: that would let an input add headers.
 *   `raw` is sent padded: Google's own samples pad it; whether unpadded is read too is not
 *   confirmed (?).
 */
import { z } from "zod";
import { defineAction, type ActionAnswer, type ActionMapping } from "../define";
import { bytesToBase64 } from "../../vault/base64";
import { googleFailure, type GoogleErrorDetail } from "./google";

const GMAIL = "Gmail";
const GOOGLE_SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;
const CRLF = "\r\n";
/** Cannot occur in a base64 part (no `_`, `=` only at its end), so it needs no search. */
export const MIME_BOUNDARY = "=_switchboard_alternative";

const utf8 = new TextEncoder();
const base64Of = (text: string) => bytesToBase64(utf8.encode(text));

/** Which input a Gmail refusal is about, from the header its message names. */
function gmailField(detail: GoogleErrorDetail): string | undefined {
  if (/\bBcc\b/i.test(detail.message)) return "bcc";
  if (/\bCc\b/i.test(detail.message)) return "cc";
  if (/\bTo\b|recipient/i.test(detail.message)) return "to";
  if (/subject/i.test(detail.message)) return "subject";
  return undefined;
}

/** Throws for a header value that could end its header line. */
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error("A header value cannot hold a line break.");
  return value;
}

/**
 * `Name: a, b, c`, folded before an address that would pass 78 characters (RFC 5322 §2.2.3).
 * @example addressHeader("To", ["a@example.com"]) // "To: a@example.com"
 */
export function addressHeader(name: string, addresses: readonly string[]): string {
  let line = `${name}: ${headerValue(addresses[0]!)}`;
  const lines: string[] = [];
  for (const address of addresses.slice(1)) {
    const next = `${line}, ${headerValue(address)}`;
    if (next.length > 78) {
      lines.push(`${line},`);
      line = ` ${address}`;
    } else {
      line = next;
    }
  }
  return [...lines, line].join(CRLF);
}

/** At most 45 bytes per encoded word: 60 base64 characters, 75 with `=?UTF-8?B?` and `?=`. */
const WORD_BYTES = 45;

/**
 * RFC 2047 `B` encoded-words for `text`, folded one per line, each whole characters only.
 * @example encodedWords("Café") // "=?UTF-8?B?Q2Fmw6k=?="
 */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = "";
  for (const character of text) {
    if (utf8.encode(chunk + character).length > WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += character;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64Of(word)}?=`).join(`${CRLF} `);
}

/** The subject header: as written when it is printable ASCII, else encoded-words. */
export function subjectHeader(subject: string): string {
  headerValue(subject);
  return /^[\x20-\x7e]*$/.test(subject) ? `Subject: ${subject}` : `Subject: ${encodedWords(subject)}`;
}

/** UTF-8 text as base64 in lines of 76 characters. */
export function base64Lines(text: string): string {
  return (base64Of(text).match(/.{1,76}/g) ?? []).join(CRLF);
}

const part = (type: string, content: string) =>
  [`Content-Type: ${type}; charset=UTF-8`, "Content-Transfer-Encoding: base64", "", base64Lines(content)].join(CRLF);

export type EmailInput = { to: string[]; cc?: string[]; bcc?: string[]; subject: string; text: string; html?: string };

/** The RFC 5322 message for an email: headers, a blank line, the body. */
export function mimeMessage(email: EmailInput): string {
  const headers = [
    addressHeader("To", email.to),
    ...(email.cc?.length ? [addressHeader("Cc", email.cc)] : []),
    ...(email.bcc?.length ? [addressHeader("Bcc", email.bcc)] : []),
    subjectHeader(email.subject),
    "MIME-Version: 1.0",
  ];
  if (email.html === undefined) return [...headers, part("text/plain", email.text)].join(CRLF);
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`,
    "",
    `--${MIME_BOUNDARY}`,
    part("text/plain", email.text),
    `--${MIME_BOUNDARY}`,
    part("text/html", email.html),
    `--${MIME_BOUNDARY}--`,
    "",
  ].join(CRLF);
}

/** The message as Gmail's `raw`: base64url (RFC 4648 §5), padded. */
export function rawMessage(message: string): string {
  return base64Of(message).replace(/\+/g, "-").replace(/\//g, "_");
}

const address = z.string().trim().pipe(z.email("An email address like ada@example.com."));
const addresses = (title: string, description: string) =>
  z.array(address).max(100, "At most 100 addresses.").meta({ title, description, examples: [["ada@example.com"]] });

export const gmailSendEmail = defineAction({
  id: "gmail.send_email",
  version: 1,
  providerId: "gmail",
  title: "Send an email",
  description: "Sends an email from the connected Gmail account, as plain text, optionally with an HTML version.",
  effect: "write",
  scopes: [[GOOGLE_SCOPE("gmail.send"), GOOGLE_SCOPE("gmail.compose"), GOOGLE_SCOPE("gmail.modify")]],
  input: z.object({
    to: addresses("To", "Who the email is for.").min(1, "Add at least one recipient."),
    cc: addresses("Cc", "Who gets a copy.").optional(),
    bcc: addresses("Bcc", "Who gets a copy without the others seeing it.").optional(),
    subject: z
      .string()
      .max(900, "Keep the subject under 900 characters.")
      .refine((subject) => !/[\r\n]/.test(subject), "A subject is one line.")
      .meta({ title: "Subject", examples: ["Your invoice for March"] }),
    text: z.string().min(1, "Write the message.").max(1_000_000, "Keep the message under 1,000,000 characters.").meta({ title: "Message", description: "Plain text." }),
    html: z.string().max(1_000_000, "Keep the HTML under 1,000,000 characters.").optional().meta({ title: "HTML version", description: "Shown instead of the text by mail apps that display HTML." }),
  }),
  output: z.object({
    id: z.string().describe("The sent message's id."),
    threadId: z.string().describe("The id of the conversation it is in."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/gmail/v1/users/me/messages/send",
    headers: { Accept: "application/json" },
    body: { json: { raw: rawMessage(mimeMessage(input)) } },
  }),
  response: (answer) => gmailJson(answer, (body: { id: string; threadId: string }) => ({ id: body.id, threadId: body.threadId })),
});

function gmailJson<T>(answer: ActionAnswer, read: (body: never) => T): ActionMapping<T> {
  const failure = googleFailure(answer, GMAIL, gmailField);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

export const gmailActions = [gmailSendEmail];
