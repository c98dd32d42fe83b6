/**
 * Gmail API v1 (below https://gmail.googleapis.com) as the actions use it: users.messages.send
 * (developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send). The
 * request is `{ raw }`, the RFC 5322 message in base64 (url-safe or standard, padded or not:
 * proto3's JSON mapping of `bytes` reads all four); the answer `{ id, threadId, labelIds }`.
 *
 * The simulator reads the message as a mail server would and refuses what is not well formed:
 * a header block of `Name: value` lines (continuations indented, no bare CR, printable
 * ASCII only, so non-ASCII must be RFC 2047 encoded-words (our strictness (?))), at least one
 * recipient ("Recipient address required") and a To header (ours again), every To/Cc/Bcc entry an address or
 * `Name <address>` ("Invalid To header", Gmail's wording as client issue trackers quote it
 * (?)), a multipart body with its boundary. What arrived is kept, decoded, in the world's
 * `sent` (subject decoded, bodies decoded, Bcc apart, as Gmail drops the header), for tests
 * to read with `world("gmail")`. `userId` must be `me` or the account's address (else 403
 * "Delegation denied"); the scope must be one the method lists.
 */
import { json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";
import { GOOGLE_SCOPE, googleError, googleJsonBody, insufficientScope } from "./google";

export type SentMessage = {
  id: string;
  threadId: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** Header names as sent, in order (Bcc included). */
  headerNames: string[];
};

type Header = { name: string; value: string };

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

/** Headers and body, or what is wrong with them. */
function splitMessage(message: string): { headers: Header[]; body: string } | { problem: string } {
  if (/\r(?!\n)/.test(message)) return { problem: "Invalid message: a bare CR" };
  const text = message.replace(/\r\n/g, "\n");
  const end = text.indexOf("\n\n");
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end + 2);
  const headers: Header[] = [];
  for (const line of head.split("\n")) {
    if (/^[ \t]/.test(line)) {
      const last = headers.at(-1);
      if (!last) return { problem: "Invalid message: it starts with a continuation line" };
      last.value += line;
      continue;
    }
    const match = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (!match) return { problem: "Invalid message: a header line without a name" };
    headers.push({ name: match[1]!, value: match[2]! });
  }
  const nonAscii = headers.find((h) => /[^\x20-\x7e\t]/.test(h.value));
  if (nonAscii) return { problem: `Invalid ${nonAscii.name} header` };
  return { headers, body };
}

function headerOf(headers: Header[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

/** The addresses of a To/Cc/Bcc header, or null when one entry is neither `a@b.c` nor `Name <a@b.c>`. */
function addressesOf(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === "") return [];
  const found: string[] = [];
  for (const entry of value.split(",").map((item) => item.trim())) {
    const angle = /^(?:[^<>]*\s)?<([^<>]+)>$/.exec(entry);
    const address = angle ? angle[1]! : entry;
    if (!ADDRESS.test(address)) return null;
    found.push(address);
  }
  return found;
}

/** RFC 2047 encoded-words in UTF-8 (B or Q) decoded; anything else kept as written. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (whole, kind: string, data: string) => {
      const bytes =
        kind.toLowerCase() === "b"
          ? Buffer.from(data, "base64")
          : Buffer.from(data.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return whole;
      }
    });
}

function decodeBody(body: string, encoding: string | undefined): string {
  return (encoding ?? "7bit").toLowerCase() === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body;
}

/** The text and HTML of a text/* or multipart/alternative body. */
function contentOf(headers: Header[], body: string): { text: string | null; html: string | null } | { problem: string } {
  const type = headerOf(headers, "Content-Type") ?? "text/plain";
  const encoding = headerOf(headers, "Content-Transfer-Encoding");
  if (/^text\/plain\b/i.test(type)) return { text: decodeBody(body, encoding), html: null };
  if (/^text\/html\b/i.test(type)) return { text: null, html: decodeBody(body, encoding) };
  if (!/^multipart\//i.test(type)) return { text: null, html: null };
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return { problem: "Invalid Content-Type header" };
  const parts = body.split(`--${boundary}`);
  if (parts.length < 3 || !/^--\s*$/.test(parts.at(-1)!)) return { problem: "Invalid message: the multipart body does not end with its boundary" };
  const content: { text: string | null; html: string | null } = { text: null, html: null };
  for (const raw of parts.slice(1, -1)) {
    const inner = splitMessage(raw.replace(/^\n/, "").replace(/\n$/, ""));
    if ("problem" in inner) return inner;
    const found = contentOf(inner.headers, inner.body);
    if ("problem" in found) return found;
    content.text ??= found.text;
    content.html ??= found.html;
  }
  return content;
}

function sendMessage(call: ApiCall): SimResponse {
  const read = googleJsonBody(call.req.json, call.req.bodyFormat);
  if ("refused" in read) return read.refused;
  const raw = read.body.raw;
  if (typeof raw !== "string" || raw === "") {
    return googleError(400, "invalidArgument", "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(raw)) return googleError(400, "invalidArgument", "Invalid value for ByteString: the raw message is not base64.");
  const message = Buffer.from(raw.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  const split = splitMessage(message);
  if ("problem" in split) return googleError(400, "invalidArgument", split.problem);
  const { headers, body } = split;
  const recipients: Record<"To" | "Cc" | "Bcc", string[]> = { To: [], Cc: [], Bcc: [] };
  for (const name of ["To", "Cc", "Bcc"] as const) {
    const found = addressesOf(headerOf(headers, name));
    if (found === null) return googleError(400, "invalidArgument", `Invalid ${name} header`);
    recipients[name] = found;
  }
  if (recipients.To.length + recipients.Cc.length + recipients.Bcc.length === 0) return googleError(400, "invalidArgument", "Recipient address required");
  // Stricter than Gmail, which also sends a message with only Cc or Bcc (?): every message
  // the actions build has a To, so one without is a bug here.
  if (recipients.To.length === 0) return googleError(400, "invalidArgument", "Invalid To header");
  const content = contentOf(headers, body);
  if ("problem" in content) return googleError(400, "invalidArgument", content.problem);

  const sent = worldOf<SentMessage[]>(call.world, "sent", () => []);
  const id = `18c${(sent.length + 1).toString(16).padStart(13, "0")}`;
  sent.push({
    id,
    threadId: id,
    to: recipients.To,
    cc: recipients.Cc,
    bcc: recipients.Bcc,
    subject: decodeWords(headerOf(headers, "Subject") ?? ""),
    ...content,
    headerNames: headers.map((h) => h.name),
  });
  return json(200, { id, threadId: id, labelIds: ["SENT"] });
}

const SEND_PATH = /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/;

export function gmailApi(call: ApiCall): SimResponse | null {
  const send = SEND_PATH.exec(call.apiPath);
  if (!send || call.req.method !== "POST") return null;
  const refused = insufficientScope(call.scopes, [GOOGLE_SCOPE("gmail.send"), GOOGLE_SCOPE("gmail.compose"), GOOGLE_SCOPE("gmail.modify"), "https://mail.google.com/"]);
  if (refused) return refused;
  const user = decodeURIComponent(send[1]!);
  if (user !== "me" && user !== call.account.email) return googleError(403, "forbidden", `Delegation denied for ${call.account.email}`);
  return sendMessage(call);
}
