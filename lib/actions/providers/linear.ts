/**
 * Linear GraphQL API actions: POST https://api.linear.app/graphql with JSON `{ query,
 * variables }` (linear.app/developers/graphql). Mutations `issueCreate(input:
 * IssueCreateInput!)` and `commentCreate(input: CommentCreateInput!)` answer `{ success,
 * issue | comment }`; `teams(first, after)` is a Relay connection (`nodes`, `pageInfo {
 * hasNextPage endCursor }`, linear.app/developers/pagination, at most 250 a page (?)).
 * Priority is 0 none, 1 urgent, 2 high, 3 medium, 4 low.
 *
 * Errors come as `{ errors: [{ message, extensions: { code, type, userError,
 * userPresentableMessage } }], data }`, with HTTP 200 or 400; an answer with `errors` is
 * never a success. `extensions.type` is a lowercase phrase ("invalid input",
 * "authentication error", "forbidden", "ratelimited", "feature not accessible", "user
 * error", "graphql error", "internal error", "lock timeout", "usage limit exceeded": the
 * map in @linear/sdk's error.ts); `extensions.code` its SCREAMING_CASE twin (`INVALID_INPUT`,
 * `AUTHENTICATION_ERROR`, `FORBIDDEN`, `RATELIMITED`), both read here.
 *
 * Rate limits (linear.app/developers/rate-limiting): `X-RateLimit-Requests-Limit`,
 * `-Remaining` and `-Reset` on every answer, the reset as UTC epoch milliseconds (?; a
 * value below 10^12 is read as seconds); the HTTP status of a RATELIMITED answer is 400 or
 * 429 (?), so both are read.
 */
import { z } from "zod";
import { defineAction, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const LINEAR = "Linear";
/** Longest wait passed on from the reset header (Linear's windows are an hour). */
const MAX_RESET_WAIT_MS = 60 * 60 * 1000;

export const ISSUE_CREATE = `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url } }
}`;
export const COMMENT_CREATE = `mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id url } }
}`;
export const TEAMS = `query Teams($first: Int!, $after: String) {
  teams(first: $first, after: $after) { nodes { id name key } pageInfo { hasNextPage endCursor } }
}`;

type GraphQLError = {
  message?: unknown;
  extensions?: { code?: unknown; type?: unknown; userError?: unknown; userPresentableMessage?: unknown };
};

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** What an error is, from `extensions.type` or `extensions.code`. */
function kindOf(error: GraphQLError): string {
  const type = text(error.extensions?.type)?.toLowerCase();
  if (type) return type;
  const code = text(error.extensions?.code)?.toUpperCase();
  const codes: Record<string, string> = {
    INVALID_INPUT: "invalid input",
    INPUT_ERROR: "invalid input",
    AUTHENTICATION_ERROR: "authentication error",
    FORBIDDEN: "forbidden",
    RATELIMITED: "ratelimited",
    FEATURE_NOT_ACCESSIBLE: "feature not accessible",
    USAGE_LIMIT_EXCEEDED: "usage limit exceeded",
    INTERNAL_SERVER_ERROR: "internal error",
    GRAPHQL_VALIDATION_FAILED: "graphql error",
    GRAPHQL_PARSE_FAILED: "graphql error",
  };
  return (code && codes[code]) ?? "unknown";
}

/** `X-RateLimit-Requests-Reset` as a wait from `now`: epoch milliseconds, or seconds when it is that small. */
function resetWait(headers: Record<string, string>, now: number): number | undefined {
  const raw = Number(headers["x-ratelimit-requests-reset"]);
  if (!Number.isFinite(raw) || raw <= 0) return undefined;
  const at = raw < 1e12 ? raw * 1000 : raw;
  return Math.min(Math.max(0, at - now), MAX_RESET_WAIT_MS);
}

/** The input field an invalid-input message is about (`teamId must be a UUID`, `Entity not found: Team`). */
export function fieldOfLinearMessage(message: string, fields: readonly string[]): string | undefined {
  for (const field of fields) if (new RegExp(`\\b${field}\\b`).test(message)) return field;
  const entity = /not found:?\s*(\w+)/i.exec(message)?.[1]?.toLowerCase();
  const byEntity: Record<string, string> = { team: "teamId", user: "assigneeId", issue: "issueId" };
  const field = entity ? byEntity[entity] : undefined;
  return field && fields.includes(field) ? field : undefined;
}

/** The failure of a Linear answer, or null when it has data and no errors. `fields` are the action's input names. */
export function linearFailure(answer: ActionAnswer, fields: readonly string[] = [], now: number = Date.now()): ActionFailure | null {
  const body = (answer.json ?? {}) as { errors?: unknown; data?: unknown };
  const errors = Array.isArray(body.errors) ? (body.errors as GraphQLError[]) : [];
  const { status } = answer;
  if (errors.length === 0) {
    if (status < 200 || status >= 300) return failureOfStatus(answer, LINEAR);
    return body.data ? null : { code: "provider_error", message: "Linear answered without data.", retryable: false, status };
  }
  const limited = errors.find((error) => kindOf(error) === "ratelimited");
  if (limited || status === 429) {
    const wait = retryAfterMs(answer.headers, now) ?? resetWait(answer.headers, now);
    return { code: "rate_limited", message: "Linear is rate limiting these requests.", retryable: true, ...(wait !== undefined ? { retryAfterMs: wait } : {}), providerCode: "RATELIMITED", status };
  }
  const first = errors[0]!;
  const kind = kindOf(first);
  const said = text(first.extensions?.userPresentableMessage) ?? text(first.message) ?? "unknown error";
  const providerCode = text(first.extensions?.code) ?? kind.toUpperCase().replace(/ /g, "_");
  const known = { providerCode, status };
  if (kind === "authentication error" || status === 401) {
    return { code: "auth_revoked", message: `Linear refused the token (${said}); reconnect Linear.`, retryable: false, ...known };
  }
  if (kind === "forbidden" && /\bscope\b/i.test(said)) {
    return { code: "missing_scope", message: `Linear needs another scope for this (${said}): reconnect Linear and grant it.`, retryable: false, ...known };
  }
  if (kind === "invalid input" || kind === "user error" || (kind === "unknown" && first.extensions?.userError === true)) {
    const field = fieldOfLinearMessage(said, fields);
    return providerValidationFailure(LINEAR, said, field ? { [field]: said } : undefined, known);
  }
  const retryable = kind === "internal error" || kind === "lock timeout" || status >= 500;
  return { code: "provider_error", message: `Linear answered: ${said}`, retryable, ...known };
}

function linearData<T>(answer: ActionAnswer, fields: readonly string[], read: (data: never) => ActionMapping<T>): ActionMapping<T> {
  const failure = linearFailure(answer, fields);
  return failure ? { ok: false, error: failure } : read((answer.json as { data: never }).data);
}

const notDone = (what: string, status: number) => ({
  ok: false as const,
  error: { code: "provider_error" as const, message: `Linear did not ${what} (success: false).`, retryable: false, status },
});

const uuid = z.string().trim().toLowerCase().pipe(z.uuid("A Linear id is a UUID."));

export const linearCreateIssue = defineAction({
  id: "linear.create_issue",
  version: 1,
  providerId: "linear",
  title: "Create an issue",
  description: "Creates an issue in a team, optionally with a description, a priority and an assignee.",
  effect: "write",
  // `write` covers it; `issues:create` is the narrower grant.
  scopes: [["write", "issues:create"]],
  input: z.object({
    teamId: uuid.meta({ title: "Team", description: "The team the issue belongs to.", ...fromLookup("linear.list_teams") }),
    title: z.string().trim().min(1, "Write a title.").max(255, "At most 255 characters (?).").meta({ title: "Title", examples: ["Checkout fails on Safari"] }),
    description: z.string().max(100_000, "At most 100,000 characters.").optional().meta({ title: "Description", description: "Markdown." }),
    priority: z
      .number()
      .int("A priority is 0 to 4.")
      .min(0, "A priority is 0 to 4.")
      .max(4, "A priority is 0 to 4.")
      .optional()
      .meta({ title: "Priority", description: "0 none, 1 urgent, 2 high, 3 medium, 4 low.", examples: [2] }),
    assigneeId: uuid.optional().meta({ title: "Assignee", description: "A user's id." }),
  }),
  output: z.object({
    id: z.string(),
    identifier: z.string().describe("Like ENG-123."),
    url: z.string().describe("The issue in Linear."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/graphql",
    body: {
      json: {
        query: ISSUE_CREATE,
        variables: {
          input: {
            teamId: input.teamId,
            title: input.title,
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.priority !== undefined ? { priority: input.priority } : {}),
            ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
          },
        },
      },
    },
  }),
  response: (answer) =>
    linearData(answer, ["teamId", "title", "description", "priority", "assigneeId"], (data: { issueCreate: { success: boolean; issue: { id: string; identifier: string; url: string } | null } }) =>
      data.issueCreate.success && data.issueCreate.issue
        ? { ok: true, output: { id: data.issueCreate.issue.id, identifier: data.issueCreate.issue.identifier, url: data.issueCreate.issue.url } }
        : notDone("create the issue", answer.status),
    ),
});

export const linearCommentOnIssue = defineAction({
  id: "linear.comment_on_issue",
  version: 1,
  providerId: "linear",
  title: "Comment on an issue",
  description: "Adds a comment to an issue.",
  effect: "write",
  scopes: [["write", "comments:create"]],
  input: z.object({
    issueId: z
      .string()
      .trim()
      .refine((id) => z.uuid().safeParse(id.toLowerCase()).success || /^[A-Za-z][A-Za-z0-9]{0,9}-\d+$/.test(id), "An issue's id (a UUID) or its identifier, like ENG-123.")
      .meta({ title: "Issue", description: "Its id or identifier (ENG-123) (?).", examples: ["ENG-123"] }),
    body: z.string().refine((value) => value.trim() !== "", "Write the comment.").max(100_000, "At most 100,000 characters.").meta({ title: "Comment", description: "Markdown." }),
  }),
  output: z.object({ id: z.string(), url: z.string().describe("The comment in Linear.") }),
  request: (input) => ({
    method: "POST",
    path: "/graphql",
    body: { json: { query: COMMENT_CREATE, variables: { input: { issueId: input.issueId, body: input.body } } } },
  }),
  response: (answer) =>
    linearData(answer, ["issueId", "body"], (data: { commentCreate: { success: boolean; comment: { id: string; url: string } | null } }) =>
      data.commentCreate.success && data.commentCreate.comment
        ? { ok: true, output: { id: data.commentCreate.comment.id, url: data.commentCreate.comment.url } }
        : notDone("add the comment", answer.status),
    ),
});

const TEAMS_PAGE = 50;

export const linearListTeams = defineAction({
  id: "linear.list_teams",
  version: 1,
  providerId: "linear",
  kind: "lookup",
  title: "List teams",
  description: "The teams of the connected Linear workspace.",
  effect: "read",
  scopes: ["read"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "POST",
    path: "/graphql",
    body: { json: { query: TEAMS, variables: { first: TEAMS_PAGE, ...(input.cursor ? { after: input.cursor } : {}) } } },
  }),
  response: (answer) =>
    linearData(answer, ["cursor"], (data: { teams: { nodes: Array<{ id: string; name: string; key: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }) => ({
      ok: true,
      output: {
        options: data.teams.nodes.map((team) => ({ value: team.id, label: team.name, hint: team.key })),
        nextCursor: data.teams.pageInfo.hasNextPage && data.teams.pageInfo.endCursor ? data.teams.pageInfo.endCursor : undefined,
      },
    })),
});

export const linearActions = [linearCreateIssue, linearCommentOnIssue, linearListTeams];
