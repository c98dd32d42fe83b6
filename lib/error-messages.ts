import { isErrorData, type ErrorData } from "./errors";

/**
 * Convex Auth's Next.js proxy turns an action's `ConvexError` into a plain `Error`
 * whose message embeds the JSON payload; this finds it again.
 */
const EMBEDDED_ERROR = /\{"code":"[A-Z_]+","message":"(?:[^"\\]|\\.)*"\}/;

/** The coded payload of an error thrown by a Convex call, wherever it is carried. */
export function errorData(error: unknown): ErrorData | undefined {
  const data = (error as { data?: unknown } | null)?.data;
  if (isErrorData(data)) return data;
  const message = (error as { message?: unknown } | null)?.message;
  const match = typeof message === "string" ? EMBEDDED_ERROR.exec(message) : null;
  if (!match) return undefined;
  try {
    const parsed: unknown = JSON.parse(match[0]);
    return isErrorData(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
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
