/**
 * Lookup actions fill the dropdowns of other actions' forms (Slack channels, GitHub
 * repositories…). Each is an ordinary read action whose output is one page of options;
 * the field that uses it names it in its `.meta({ lookup })`.
 */
import { z } from "zod";

/** One page of options, in the provider's order; `nextCursor` fetches the next page. */
export const lookupPage = z.object({
  options: z.array(
    z.object({
      value: z.string(),
      label: z.string(),
      /** A second line (a channel's topic, a repository's owner). */
      hint: z.string().optional(),
    }),
  ),
  nextCursor: z.string().optional(),
});
export type LookupPage = z.infer<typeof lookupPage>;

/** The `cursor` every lookup's input takes: opaque, from the previous page's `nextCursor`. */
export const lookupCursor = z.string().max(2048).optional().describe("From the previous page's nextCursor.");

/**
 * What a form field's `.meta({ lookup })` says: the lookup action, and which of the
 * form's other fields it takes as input (a Trello list needs the chosen board).
 */
export type LookupRef = { action: string; params?: Record<string, string> };

/** Metadata for a field whose options come from a lookup. */
export function fromLookup(action: string, params?: Record<string, string>): { lookup: LookupRef } {
  return { lookup: params ? { action, params } : { action } };
}
