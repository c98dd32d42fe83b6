/**
 * The Convex side of the mail module: sends a `MailMessage` (lib/mail) through the
 * HTTP email API the deployment names (`SWITCHBOARD_MAIL_*`, see lib/env.ts). For
 * actions only (it fetches). Not a function module.
 *
 * The API key is read here and put in one header; it is never logged, returned or put
 * in an error. A refusal is logged by the API's error name and status only.
 */
import { ConvexError } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { sendRequest } from "../../lib/http/send";
import { mailRequest, readMailAnswer, type MailMessage } from "../../lib/mail/message";
import { checkOutboundUrl } from "../../lib/ssrf";
import { mailConfig, outboundUrlOptions } from "./env";

/** Time limit of one send: a person is waiting on the sign-in page. */
export const MAIL_SEND_TIMEOUT_MS = 10_000;

const NOT_SENT = "We could not send the email just now. Try again in a minute.";

/** Sends one message; resolves with the email API's id, or throws a coded error. */
export async function sendMail(message: MailMessage): Promise<{ id: string }> {
  const request = mailRequest(mailConfig(), message);
  const checked = checkOutboundUrl(request.url, outboundUrlOptions());
  if (!checked.ok) {
    throw new ConvexError({
      code: ErrorCode.MISCONFIGURED,
      message: `This deployment is misconfigured: SWITCHBOARD_MAIL_API_URL is not an address mail may be sent to (${checked.reason}).`,
    });
  }
  const result = await sendRequest(
    { purpose: "call", method: "POST", url: checked.url, headers: request.headers, body: request.body },
    { timeoutMs: MAIL_SEND_TIMEOUT_MS, maxResponseBytes: 64 * 1024 },
  );
  if (result.kind !== "response") {
    console.warn(`mail: the email API at ${checked.url.origin} gave no answer (${result.kind})`);
    throw new ConvexError({ code: ErrorCode.PROVIDER_UNAVAILABLE, message: NOT_SENT });
  }
  const answer = readMailAnswer(result.status, result.body);
  if (!answer.ok) {
    console.warn(`mail: the email API at ${checked.url.origin} refused the message: HTTP ${answer.status} ${answer.name}`);
    throw new ConvexError({ code: ErrorCode.PROVIDER_UNAVAILABLE, message: NOT_SENT });
  }
  return { id: answer.id };
}
