import { isErrorData, type ErrorData } from "./errors";

/**
 * Convex Auth's Next.js proxy (and Convex's HTTP client) turn a `ConvexError` into a
 * plain `Error` whose message embeds the JSON payload; this finds it again, whatever
 * other fields the payload carries.
 */
const EMBEDDED_ERROR_START = '{"code":"';

function embeddedErrorData(message: string): ErrorData | undefined {
  const start = message.indexOf(EMBEDDED_ERROR_START);
  if (start < 0) return undefined;
  for (let end = message.indexOf("}", start); end >= 0; end = message.indexOf("}", end + 1)) {
    try {
      const parsed: unknown = JSON.parse(message.slice(start, end + 1));
      return isErrorData(parsed) ? parsed : undefined;
    } catch {
      // Not the end of the payload yet (a "}" inside a string or a nested object).
    }
  }
  return undefined;
}

/** The coded payload of an error thrown by a Convex call, wherever it is carried. */
export function errorData(error: unknown): ErrorData | undefined {
  const data = (error as { data?: unknown } | null)?.data;
  if (isErrorData(data)) return data;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? embeddedErrorData(message) : undefined;
}

/**
 * The sentence to show a person for any error a Convex call threw. A coded error
 * carries its own message; anything else gets a generic sentence, so no stack,
 * token or internal detail ever reaches the screen.
 */
export function errorMessage(error: unknown, fallback = "Something went wrong. Try again."): string {
  return errorData(error)?.message ?? fallback;
}

/** The code of a coded error, or undefined. */
export function errorCode(error: unknown): string | undefined {
  return errorData(error)?.code;
}
