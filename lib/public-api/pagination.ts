/**
 * Cursor pagination over a list the server holds whole (connections, actions: bounded by
 * the provider catalog): the cursor is the opaque, base64-encoded position of the
 * next item. Lists read from growing tables page in the database instead.
 */

const CURSOR_PREFIX = "p1:";

/** The cursor of position `offset`: base64 of ASCII letters, digits and a colon, so URL-safe once unpadded. */
export function encodeCursor(offset: number): string {
  return btoa(`${CURSOR_PREFIX}${offset}`).replace(/=+$/, "");
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  let text: string;
  try {
    text = atob(cursor);
  } catch {
    return null;
  }
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const digits = text.slice(CURSOR_PREFIX.length);
  return /^(0|[1-9][0-9]{0,8})$/.test(digits) ? Number(digits) : null;
}

/**
 * One page of `items`: `{ data, next_cursor }`, or null when the cursor is not valid.
 * @example pageOf([1, 2, 3], 2, undefined) // { data: [1, 2], next_cursor: encodeCursor(2) }
 */
export function pageOf<T>(items: readonly T[], limit: number, cursor: string | undefined): { data: T[]; next_cursor: string | null } | null {
  const start = cursor === undefined ? 0 : decodeCursor(cursor);
  if (start === null) return null;
  const data = items.slice(start, start + limit);
  const next = start + limit;
  return { data, next_cursor: next < items.length ? encodeCursor(next) : null };
}

const POSITION_PREFIX = "t1:";

/** A place in a newest-first list read from the database: a row's time and its creation time (which breaks ties). */
export type ListPosition = { receivedAt: number; creationTime: number };

/** The cursor of the page after `position`: unpadded base64url, opaque to clients. */
export function encodePositionCursor(position: ListPosition): string {
  return btoa(`${POSITION_PREFIX}${position.receivedAt}:${position.creationTime}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The position a cursor of `encodePositionCursor` names, or null when it is not one. */
export function decodePositionCursor(cursor: string): ListPosition | null {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const found = /^t1:(0|[1-9][0-9]{0,15}):((?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,9})?)$/.exec(text);
  return found ? { receivedAt: Number(found[1]), creationTime: Number(found[2]) } : null;
}
