/**
 * Trello's REST API as the actions use it, under `<simulator>/trello/1`: `POST /cards`,
 * `GET /members/me/boards`, `GET /boards/{id}/lists`
 * (developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-post, …/api-group-members/,
 * …/api-group-boards/). Parameters come from the query, a JSON body or a form, as Trello takes
 * them; `fields` picks the attributes answered (the id always comes). Nothing is paginated.
 * Errors are plain text: 400 `invalid value for <param>` and `invalid id`, 401 `unauthorized card
 * permission requested` on a board the member only observes (?), 404 `The requested resource was
 * not found.` for an ID nobody has (?). The member has 130 open boards and 5 closed ones; "Big
 * board" has 130 lists, the others To Do, Doing and Done; "Read-only board" is one the member
 * observes. Webhooks: POST /1/webhooks (after a HEAD check of the callback) and DELETE
 * /1/webhooks/{id}, kept in the world's `webhooks`.
 */
import { json, text, type SimResponse } from "../http-utils";
import { trelloHeadCheck } from "../webhook-handshakes";
import { worldOf, type ApiCall } from "./index";

type Board = { id: string; name: string; closed: boolean; shortLink: string; writable: boolean };
type List = { id: string; name: string; closed: boolean; idBoard: string; pos: number };
type Card = { id: string; idList: string; idBoard: string; name: string; desc: string; due: string | null; pos: number; shortLink: string; idShort: number };
type World = { boards: Board[]; lists: List[]; cards: Card[]; ids: { n: number } };

const ID = /^[0-9a-fA-F]{24}$/;
const NOT_FOUND = "The requested resource was not found.";

function nextId(world: World, kind: string): string {
  world.ids.n += 1;
  return `${kind}${String(world.ids.n).padStart(24 - kind.length, "0")}`;
}

function shortLinkOf(n: number): string {
  return `sl${n.toString(36).padStart(6, "0")}`.slice(-8);
}

function createWorld(): World {
  const world: World = { boards: [], lists: [], cards: [], ids: { n: 0 } };
  const addBoard = (name: string, closed: boolean, writable: boolean, listNames: string[]) => {
    const id = nextId(world, "b0a4d");
    world.boards.push({ id, name, closed, shortLink: shortLinkOf(world.ids.n), writable });
    listNames.forEach((listName, index) => world.lists.push({ id: nextId(world, "1157"), name: listName, closed: false, idBoard: id, pos: 16_384 * (index + 1) }));
  };
  const basic = ["To Do", "Doing", "Done"];
  addBoard("Big board", false, true, Array.from({ length: 130 }, (_, i) => `Stage ${i + 1}`));
  addBoard("Read-only board", false, false, basic);
  for (let i = 1; i <= 128; i += 1) addBoard(`Project ${String(i).padStart(3, "0")}`, false, true, basic);
  for (let i = 1; i <= 5; i += 1) addBoard(`Archived ${i}`, true, true, basic);
  return world;
}

/** Trello reads a parameter from the query, a JSON body or a form alike. */
function paramsOf(call: ApiCall): Record<string, unknown> {
  const { req } = call;
  const body = req.bodyFormat === "json" && typeof req.json === "object" && req.json !== null && !Array.isArray(req.json) ? (req.json as Record<string, unknown>) : req.params;
  return { ...Object.fromEntries(req.query), ...body };
}

/** `{ id, …fields }`: Trello answers only the attributes `fields` names (`all` for every one). */
function pick<T extends { id: string }>(item: T, fields: string | null): Partial<T> {
  if (fields === null || fields === "all") return item;
  const names = fields.split(",");
  return Object.fromEntries(Object.entries(item).filter(([name]) => name === "id" || names.includes(name))) as Partial<T>;
}

function listBoards(call: ApiCall, world: World): SimResponse {
  const filter = call.req.query.get("filter") ?? "all";
  if (!["all", "open", "closed"].includes(filter)) return text(400, "invalid value for filter");
  const boards = world.boards.filter((board) => filter === "all" || board.closed === (filter === "closed"));
  const fields = call.req.query.get("fields");
  return json(200, boards.map(({ writable: _writable, ...board }) => pick({ ...board, url: `https://trello.com/b/${board.shortLink}` }, fields)));
}

function findBoard(world: World, idOrShortLink: string): Board | SimResponse {
  if (!ID.test(idOrShortLink) && !/^[A-Za-z0-9]{8}$/.test(idOrShortLink)) return text(400, "invalid id");
  return world.boards.find((board) => board.id === idOrShortLink || board.shortLink === idOrShortLink) ?? text(404, NOT_FOUND);
}

function listLists(call: ApiCall, world: World, boardId: string): SimResponse {
  const board = findBoard(world, boardId);
  if ("status" in board) return board;
  const filter = call.req.query.get("filter") ?? "open";
  if (!["all", "open", "closed", "none"].includes(filter)) return text(400, "invalid value for filter");
  const lists = filter === "none" ? [] : world.lists.filter((list) => list.idBoard === board.id && (filter === "all" || list.closed === (filter === "closed")));
  return json(200, lists.map((list) => pick(list, call.req.query.get("fields"))));
}

function createCard(call: ApiCall, world: World): SimResponse {
  const params = paramsOf(call);
  const idList = params.idList;
  if (typeof idList !== "string" || !ID.test(idList)) return text(400, "invalid value for idList");
  const list = world.lists.find((candidate) => candidate.id === idList);
  if (!list) return text(404, NOT_FOUND);
  const board = world.boards.find((candidate) => candidate.id === list.idBoard)!;
  if (!board.writable) return text(401, "unauthorized card permission requested");
  const name = params.name ?? "";
  if (typeof name !== "string" || name.length > 16_384) return text(400, "invalid value for name");
  const desc = params.desc ?? "";
  if (typeof desc !== "string" || desc.length > 16_384) return text(400, "invalid value for desc");
  const due = params.due ?? null;
  if (due !== null && (typeof due !== "string" || Number.isNaN(Date.parse(due)))) return text(400, "invalid value for due");
  const inList = world.cards.filter((card) => card.idList === list.id);
  const lowest = Math.min(...inList.map((card) => card.pos), 65_536);
  const highest = Math.max(...inList.map((card) => card.pos), 0);
  const rawPos = params.pos ?? "bottom";
  const numeric = typeof rawPos === "number" ? rawPos : typeof rawPos === "string" && /^\d+(\.\d+)?$/.test(rawPos) ? Number(rawPos) : undefined;
  const pos = rawPos === "top" ? lowest / 2 : rawPos === "bottom" ? highest + 65_536 : numeric;
  if (pos === undefined || pos < 0) return text(400, "invalid value for pos");
  const idShort = world.cards.filter((card) => card.idBoard === board.id).length + 1;
  const card: Card = {
    id: nextId(world, "ca4d"),
    idList: list.id,
    idBoard: board.id,
    name,
    desc,
    due: due === null ? null : new Date(due).toISOString(),
    pos,
    shortLink: shortLinkOf(world.ids.n),
    idShort,
  };
  world.cards.push(card);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return json(200, {
    ...card,
    closed: false,
    dueComplete: false,
    idLabels: [],
    idMembers: [],
    labels: [],
    dateLastActivity: new Date(call.now).toISOString(),
    shortUrl: `https://trello.com/c/${card.shortLink}`,
    url: `https://trello.com/c/${card.shortLink}/${idShort}-${slug}`,
  });
}

/** A webhook made by POST /1/webhooks, kept in the world's `webhooks` for tests. */
export type TrelloWebhook = { id: string; idModel: string; callbackURL: string; description: string; active: boolean };

/**
 * POST /1/webhooks {callbackURL, idModel, description} [developer.atlassian.com/cloud/trello/rest/api-group-webhooks]:
 * a model the member can see, then Trello's HEAD check of the callback, which must answer
 * 200, before it answers; the same callback and model twice is refused. Plain-text errors,
 * their wording ours where Trello's is unknown (?).
 */
async function createWebhook(call: ApiCall, world: World): Promise<SimResponse> {
  const params = paramsOf(call);
  const idModel = params.idModel;
  const callbackURL = params.callbackURL;
  if (typeof idModel !== "string" || !ID.test(idModel)) return text(400, "invalid value for idModel");
  if (!world.boards.some((b) => b.id === idModel) && !world.lists.some((l) => l.id === idModel) && !world.cards.some((c) => c.id === idModel)) return text(400, "invalid value for idModel");
  if (typeof callbackURL !== "string" || !URL.canParse(callbackURL) || !/^https?:$/.test(new URL(callbackURL).protocol)) return text(400, "invalid value for callbackURL");
  const webhooks = worldOf<TrelloWebhook[]>(call.world, "webhooks", () => []);
  if (webhooks.some((w) => w.idModel === idModel && w.callbackURL === callbackURL)) return text(400, "A webhook with that callback, model, and token already exists");
  const head = await trelloHeadCheck(callbackURL);
  if (!head.ok) return text(400, `URL (${callbackURL}) did not return 200 status code, got ${head.status} (?)`);
  const webhook: TrelloWebhook = { id: nextId(world, "5e0b"), idModel, callbackURL, description: typeof params.description === "string" ? params.description : "", active: true };
  webhooks.push(webhook);
  return json(200, { ...webhook, consecutiveFailures: 0, firstConsecutiveFailDate: null });
}

/** DELETE /1/webhooks/{id}: 200 `{"_value": null}`; an id nobody has is 404. */
function deleteWebhook(call: ApiCall, id: string): SimResponse {
  const webhooks = worldOf<TrelloWebhook[]>(call.world, "webhooks", () => []);
  const index = webhooks.findIndex((w) => w.id === id);
  if (index === -1) return text(404, NOT_FOUND);
  webhooks.splice(index, 1);
  return json(200, { _value: null });
}

export function trelloApi(call: ApiCall): SimResponse | null | Promise<SimResponse> {
  const { req, apiPath } = call;
  const world = worldOf(call.world, "trello", createWorld);
  if (apiPath === "/1/cards" && req.method === "POST") return createCard(call, world);
  if (apiPath === "/1/members/me/boards" && req.method === "GET") return listBoards(call, world);
  const lists = /^\/1\/boards\/([^/]+)\/lists$/.exec(apiPath);
  if (lists && req.method === "GET") return listLists(call, world, decodeURIComponent(lists[1]!));
  if (apiPath === "/1/webhooks" && req.method === "POST") return createWebhook(call, world);
  const webhook = /^\/1\/webhooks\/([^/]+)$/.exec(apiPath);
  if (webhook && req.method === "DELETE") return deleteWebhook(call, decodeURIComponent(webhook[1]!));
  return null;
}
