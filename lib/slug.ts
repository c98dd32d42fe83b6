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

/** Shortest slug a person may choose. */
export const SLUG_MIN_LENGTH = 2;

export type SlugCheck = { ok: true; slug: string } | { ok: false; message: string };

/**
 * Checks a slug a person typed (in Organization settings), after trimming and
 * lowercasing it: 2 to 40 lowercase letters, digits and single dashes, starting and
 * ending with a letter or digit. The message says what to fix.
 * @example checkSlug(" Acme-Labs ") // { ok: true, slug: "acme-labs" }
 */
export function checkSlug(input: string): SlugCheck {
  const slug = input.trim().toLowerCase();
  if (slug.length < SLUG_MIN_LENGTH || slug.length > SLUG_MAX_LENGTH) {
    return { ok: false, message: `Use ${SLUG_MIN_LENGTH} to ${SLUG_MAX_LENGTH} characters.` };
  }
  if (!/^[a-z0-9-]+$/.test(slug)) {
    return { ok: false, message: "Use only letters a–z, digits and dashes." };
  }
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(slug)) {
    return { ok: false, message: "Start and end with a letter or digit, with single dashes between." };
  }
  return { ok: true, slug };
}
