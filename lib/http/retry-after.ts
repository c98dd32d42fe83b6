/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 * @example parseRetryAfter("120") // 120
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Only an HTTP date has letters ("Wed, 21 Oct 2015 07:28:00 GMT"); "-5" or "1.5" is neither form.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
