/** Longest slug we generate, before any collision suffix. */
export const SLUG_MAX_LENGTH = 40;

/**
 * Turns an organization name into a URL-safe slug: lowercase ASCII letters,
 * digits and single dashes. Accents are folded ("Café" → "cafe").
 * Returns "org" when nothing usable is left.
 * @example slugify("Acme, Inc.") // "acme-inc"
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, "");
  return slug || "org";
}

/** The n-th candidate for a slug that is taken: "acme", "acme-2", "acme-3", … */
export function slugCandidate(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}-${attempt}`;
}
