/**
 * The password reset code and the email that carries it. Convex Auth stores only the
 * code's SHA-256 and deletes it once used; this module makes the code (in the sign-in
 * action, where randomness is real) and words the message.
 */
import { escapeHtml, type MailMessage } from "./message";

/** Digits in a reset code: 10^8 possibilities against at most 10 wrong tries an hour. */
export const RESET_CODE_DIGITS = 8;
/** How long a reset code works. */
export const RESET_CODE_LIFETIME_MINUTES = 15;

/**
 * A uniformly random code of `RESET_CODE_DIGITS` digits. Bytes of 250 and more are
 * thrown away so every digit is equally likely (256 is not a multiple of 10).
 */
export function generateResetCode(randomBytes: (length: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  let code = "";
  while (code.length < RESET_CODE_DIGITS) {
    for (const byte of randomBytes(RESET_CODE_DIGITS)) {
      if (byte < 250 && code.length < RESET_CODE_DIGITS) code += String(byte % 10);
    }
  }
  return code;
}

/**
 * The reset email: the code, how long it works, and what to do if you did not ask.
 * @example passwordResetMessage({ from: "Switchboard <no-reply@example.com>", to: "ada@example.com", code: "12345678", siteUrl })
 */
export function passwordResetMessage(input: { from: string; to: string; code: string; siteUrl: string }): MailMessage {
  const { from, to, code, siteUrl } = input;
  const minutes = RESET_CODE_LIFETIME_MINUTES;
  // The code stays out of the subject, which lock screens and notifications show.
  const subject = "Your Switchboard password reset code";
  const text = [
    "Someone asked to reset the password of your Switchboard account.",
    "",
    `Your code: ${code}`,
    "",
    `Enter it on the sign-in page (${siteUrl}/signin) within ${minutes} minutes, together with your new password.`,
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ].join("\n");
  const html = [
    `<p>Someone asked to reset the password of your Switchboard account.</p>`,
    `<p>Your code:</p>`,
    `<p style="font-size:24px;font-weight:600;letter-spacing:4px;font-family:monospace">${escapeHtml(code)}</p>`,
    `<p>Enter it on the <a href="${escapeHtml(`${siteUrl}/signin`)}">sign-in page</a> within ${minutes} minutes, together with your new password.</p>`,
    `<p>If you did not ask for this, ignore this email: your password stays as it is.</p>`,
  ].join("\n");
  return { from, to, subject, text, html };
}
