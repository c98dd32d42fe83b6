/**
 * Trello REST API actions (the catalog's base https://api.trello.com, so paths start with `/1`;
 * the pipeline adds the `key` and `token` query parameters:
 * developer.atlassian.com/cloud/trello/guides/rest-api/authorization/).
 * Create a card: `POST /1/cards` with `idList` (required), `name`, `desc`, `due` (a date),
 * `pos` (`top`, `bottom` or a positive number) → 200 with the card (`id`, `url`, `shortUrl`…)
 * (developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-post). Boards:
 * `GET /1/members/me/boards?filter=open&fields=name`; lists: `GET /1/boards/{id}/lists`
 * (…/api-group-members/#api-members-id-boards-get, …/api-group-boards/#api-boards-id-lists-get).
 * Neither pages: Trello gives every board and list at once, so the lookups page them
 * themselves with an offset cursor. IDs are 24 hexadecimal characters; a board is also
 * named by its 8-character short link.
 * Errors are plain text: 400 `invalid value for <param>` / `invalid id`, 401 `invalid key`,
 * `invalid token`, or `unauthorized card permission requested` for a token that may not write
 * there (?), 404 for an object it cannot find (?), and 429 JSON `{ "error": "API_TOKEN_LIMIT_EXCEEDED" }`
 * (developer.atlassian.com/cloud/trello/guides/rest-api/rate-limits/).
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage, type LookupPage } from "../lookup";

const TRELLO = "Trello";

/** Where a Trello error lands: the input that named what it could not find. */
export type TrelloPlacement = { notFound: string };

/** Trello's own parameter names, as the actions' inputs name them (the same, bar the board). */
const INPUT_PARAMS = new Set(["idList", "name", "desc", "due", "pos"]);

/** A Trello answer's failure, or null when it succeeded (2xx). */
export function trelloFailure(answer: ActionAnswer, placement: TrelloPlacement): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const text = answer.body.trim();
  const said = (answer.json as { error?: unknown } | undefined)?.error;
  const providerCode = typeof said === "string" ? { providerCode: said } : {};
  if (status === 401 && /^unauthorized .*permission requested$/i.test(text)) {
    return {
      code: "missing_scope",
      message: `Trello refused: ${text}. The token's member must belong to the board, and the token must allow writing (scope read,write).`,
      retryable: false,
      status,
    };
  }
  const param = /^invalid value for (\w+)$/i.exec(text)?.[1];
  if (status === 400 && param) {
    return providerValidationFailure(TRELLO, text, INPUT_PARAMS.has(param) ? { [param]: `Trello says: ${text}.` } : {}, { status });
  }
  if ((status === 400 && text === "invalid id") || status === 404) {
    return providerValidationFailure(TRELLO, text || "not found", { [placement.notFound]: "Trello has no such board or list, or this token cannot see it." }, { status });
  }
  return { ...failureOfStatus(answer, TRELLO), ...providerCode };
}

/** A 24-character Trello ID. */
const TRELLO_ID = /^[0-9a-fA-F]{24}$/;

const boardField = z
  .string()
  .trim()
  .regex(/^([0-9a-fA-F]{24}|[A-Za-z0-9]{8})$/, "A Trello board ID (24 hexadecimal characters) or short link (8 characters).")
  .meta({ title: "Board", description: "The board's ID or the 8 characters after /b/ in its address.", examples: ["5abbe4b7ddc1b351ef961414"], ...fromLookup("trello.list_boards") });

export const trelloCreateCard = defineAction({
  id: "trello.create_card",
  version: 1,
  providerId: "trello",
  title: "Create a card",
  description: "Adds a card to a list; the board only helps choose the list.",
  effect: "write",
  scopes: [],
  input: z.object({
    boardId: boardField.optional(),
    idList: z
      .string()
      .trim()
      .regex(TRELLO_ID, "A Trello list ID has 24 hexadecimal characters.")
      .meta({ title: "List", description: "The list the card goes in.", examples: ["5abbe4b7ddc1b351ef961415"], ...fromLookup("trello.list_lists", { boardId: "boardId" }) }),
    name: z
      .string()
      .trim()
      .min(1, "Give the card a name.")
      .max(16_384, "Trello takes at most 16,384 characters.")
      .meta({ title: "Name", examples: ["Write the release notes"] }),
    desc: z.string().max(16_384, "Trello takes at most 16,384 characters.").optional().meta({ title: "Description", description: "Markdown." }),
    due: z.iso
      .datetime({ offset: true, error: "A date and time like 2026-03-01T17:00:00Z." })
      .optional()
      .meta({ title: "Due", examples: ["2026-03-01T17:00:00Z"] }),
    pos: z
      .union([z.enum(["top", "bottom"]), z.number().positive("top, bottom, or a positive number.")], { error: "top, bottom, or a positive number." })
      .optional()
      .meta({ title: "Position", description: "top, bottom, or a number ordering the card among the list's." }),
  }),
  output: z.object({
    id: z.string().describe("The card's ID."),
    url: z.url().describe("The card's full address."),
    shortUrl: z.url().describe("Its short address, trello.com/c/…"),
  }),
  request: (input) => ({
    method: "POST",
    path: "/1/cards",
    body: {
      json: {
        idList: input.idList,
        name: input.name,
        ...(input.desc !== undefined ? { desc: input.desc } : {}),
        ...(input.due !== undefined ? { due: input.due } : {}),
        ...(input.pos !== undefined ? { pos: input.pos } : {}),
      },
    },
  }),
  response: (answer) => {
    const failure = trelloFailure(answer, { notFound: "idList" });
    if (failure) return { ok: false, error: failure };
    const card = answer.json as { id: string; url: string; shortUrl: string };
    return { ok: true, output: { id: card.id, url: card.url, shortUrl: card.shortUrl } };
  },
});

/** Options per lookup page, cut from the one answer Trello gives. */
export const TRELLO_PAGE_SIZE = 100;

/** The offset a lookup cursor holds: `undefined` is the first page. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,6}$/.test(cursor)) throw new Error("This cursor was not given by the Trello lookup.");
  return Number(cursor);
}

/** One page of `{ id, name }` items, in Trello's order. */
function offsetPage(answer: ActionAnswer, cursor: string | undefined, placement: TrelloPlacement): ActionMapping<LookupPage> {
  const failure = trelloFailure(answer, placement);
  if (failure) return { ok: false, error: failure };
  const items = answer.json as Array<{ id: string; name: string }>;
  const from = offsetOf(cursor);
  const next = from + TRELLO_PAGE_SIZE;
  return {
    ok: true,
    output: {
      options: items.slice(from, next).map((item) => ({ value: item.id, label: item.name })),
      ...(next < items.length ? { nextCursor: String(next) } : {}),
    },
  };
}

const OPEN_NAMES = { filter: "open", fields: "name" };

export const trelloListBoards = defineAction({
  id: "trello.list_boards",
  version: 1,
  providerId: "trello",
  kind: "lookup",
  title: "List boards",
  description: "The open boards the token's member belongs to.",
  effect: "read",
  scopes: [],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => {
    offsetOf(input.cursor);
    return { method: "GET", path: "/1/members/me/boards", query: OPEN_NAMES };
  },
  response: (answer, input) => offsetPage(answer, input.cursor, { notFound: "cursor" }),
});

export const trelloListLists = defineAction({
  id: "trello.list_lists",
  version: 1,
  providerId: "trello",
  kind: "lookup",
  title: "List lists",
  description: "The open lists of a board, left to right.",
  effect: "read",
  scopes: [],
  input: z.object({ cursor: lookupCursor, boardId: boardField }),
  output: lookupPage,
  request: (input) => {
    offsetOf(input.cursor);
    return { method: "GET", path: `/1/boards/${pathSegment(input.boardId)}/lists`, query: OPEN_NAMES };
  },
  response: (answer, input) => offsetPage(answer, input.cursor, { notFound: "boardId" }),
});

export const trelloActions = [trelloCreateCard, trelloListBoards, trelloListLists];
