/**
 * HTTP Basic credentials, encoded in exactly one place. Two flavours, because the
 * two specs disagree on one step:
 * - RFC 7617 (a person's username and password: WordPress, a custom webhook's
 *   receiver): `base64(utf8(user ":" password))`;
 * - RFC 6749 §2.3.1 (an OAuth client at a token or revocation endpoint): the client
 *   id and secret are each form-urlencoded (Appendix B) first, so a secret holding
 *   `%`, `+`, `:` or a space still reaches the server intact.
 */

/** `Basic …` for a username and password (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${base64Utf8(`${username}:${password}`)}`;
}

/** `Basic …` for an OAuth client (RFC 6749 §2.3.1: each part form-urlencoded first). */
export function clientBasicAuthorization(clientId: string, clientSecret: string): string {
  return basicAuthorization(formUrlEncode(clientId), formUrlEncode(clientSecret));
}

/**
 * The application/x-www-form-urlencoded byte serializer (WHATWG URL §5.2, which
 * RFC 6749 Appendix B points to): letters, digits and `*-._` stay, a space becomes
 * `+`, every other UTF-8 byte is percent-encoded.
 * @example formUrlEncode("a b+c/=") // "a+b%2Bc%2F%3D"
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
