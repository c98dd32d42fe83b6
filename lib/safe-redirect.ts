/**
 * `candidate` if it is a path inside this app ("/o/acme/settings"), otherwise `fallback`.
 * Refuses absolute URLs, protocol-relative "//host" and backslash tricks, so a
 * `?next=` or `returnTo` can never send someone to another site.
 */
export function safeRelativePath(candidate: string | null | undefined, fallback: string): string {
  if (!candidate || candidate.length > 2048) return fallback;
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\")) return fallback;
  // Control characters can turn into "//" after the browser strips them.
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  try {
    const url = new URL(candidate, "http://relative.invalid");
    if (url.origin !== "http://relative.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
