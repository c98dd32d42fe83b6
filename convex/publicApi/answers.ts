/** Small pieces every handler's answer uses: ISO times and the refusal of a cursor the API did not give out. */
import { problem, type Problem } from "../../lib/public-api";

export const iso = (at: number) => new Date(at).toISOString();
export const isoOrNull = (at: number | null) => (at === null ? null : iso(at));

export function badCursor(): { problem: Problem } {
  return { problem: problem("invalid_request", "The cursor is not one this API gave out.", { errors: { cursor: "Pass back a `next_cursor` unchanged." } }) };
}
