/** Shortest password we accept. */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password we accept (scrypt cost grows with input; nobody types more). */
export const PASSWORD_MAX_LENGTH = 256;

/** Lowercased, trimmed email, or null when it is not an email address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

/**
 * Why a password is too weak, or null when it is acceptable.
 * Rules: 8–256 characters, at least one letter and one digit or symbol.
 */
export function checkPassword(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  if (!/[A-Za-z]/.test(password) || !/[^A-Za-z]/.test(password)) {
    return "Use at least one letter and one digit or symbol.";
  }
  return null;
}
