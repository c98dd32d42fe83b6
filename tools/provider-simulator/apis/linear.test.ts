import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_CREATE, ISSUE_CREATE, TEAMS } from "../../../lib/actions/providers/linear";
import { startSimulator, type RunningSimulator } from "../server";
import { callApi, callTest, connect, type Connection } from "../testing";
import { parseOperation } from "./linear";

describe("parseOperation (just enough GraphQL)", () => {
  it("reads the actions' own documents", () => {
    expect(parseOperation(ISSUE_CREATE)).toEqual({ type: "mutation", variables: { input: "IssueCreateInput!" }, field: "issueCreate", args: { input: "$input" } });
    expect(parseOperation(COMMENT_CREATE)).toMatchObject({ type: "mutation", field: "commentCreate", variables: { input: "CommentCreateInput!" } });
    expect(parseOperation(TEAMS)).toEqual({ type: "query", variables: { first: "Int!", after: "String" }, field: "teams", args: { first: "$first", after: "$after" } });
  });

  it("reads shorthand queries, aliases, literals, defaults and comments", () => {
    expect(parseOperation("{ viewer { id } }")).toEqual({ type: "query", variables: {}, field: "viewer", args: {} });
    expect(parseOperation('# list\nquery { all: teams(first: 5, after: "abc", x: null, y: true) { nodes { id } } }')).toEqual({
      type: "query",
      variables: {},
      field: "teams",
      args: { first: "5", after: '"abc"', x: "null", y: "true" },
    });
    expect(parseOperation("query T($first: Int = 10) { teams(first: $first) { nodes { id } } }")).toMatchObject({ variables: { first: "Int" } });
    expect(parseOperation("not graphql")).toBeNull();
  });
});

describe("the simulated Linear API", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ autoApprove: true });
  });
  afterAll(() => sim.close());

  const post = (connection: Connection, body: unknown) => callApi(connection.provider, "POST", "/graphql", connection.accessToken, { body });

  it("refuses an operation the grant's scopes do not allow with FORBIDDEN, and spends the request budget", async () => {
    const reader = await connect(sim.url, "linear", { scopes: ["read"] });
    const input = { teamId: "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e", title: "x" };
    const refused = await post(reader, { query: ISSUE_CREATE, variables: { input } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      errors: [{ message: "Invalid scope: `write` required", extensions: { code: "FORBIDDEN", type: "forbidden", userError: true, userPresentableMessage: "Invalid scope: `write` required" }, path: ["issueCreate"] }],
      data: null,
    });
    expect(Number(refused.headers.get("x-ratelimit-requests-remaining"))).toBe(4999);
    expect(Number(refused.headers.get("x-ratelimit-requests-reset"))).toBeGreaterThan(Date.now());
    expect((await post(reader, { query: TEAMS, variables: { first: 2 } })).status).toBe(200);
  });

  it("answers other operations, wrong types and malformed requests with GraphQL errors", async () => {
    const writer = await connect(sim.url, "linear");
    const kinds = async (body: unknown) => {
      const response = await post(writer, body);
      const answer = (await response.json()) as { errors?: Array<{ message: string; extensions: { type: string } }> };
      return { status: response.status, type: answer.errors?.[0]?.extensions.type, message: answer.errors?.[0]?.message };
    };
    expect(await kinds({ query: "{ viewer { id } }" })).toMatchObject({ status: 400, type: "graphql error", message: expect.stringMatching(/does not play "viewer"/) });
    expect(await kinds({ query: "query { issueCreate(input: $input) { success } }" })).toMatchObject({ type: "graphql error", message: 'Cannot query field "issueCreate" on type "Query".' });
    expect(await kinds({ query: "mutation { teams { nodes { id } } }" })).toMatchObject({ message: 'Cannot query field "teams" on type "Mutation".' });
    expect(await kinds({ query: ISSUE_CREATE })).toMatchObject({ message: 'Variable "$input" of required type "IssueCreateInput!" was not provided.' });
    expect(await kinds({ query: ISSUE_CREATE.replace("IssueCreateInput!", "CommentCreateInput!"), variables: { input: {} } })).toMatchObject({ message: expect.stringMatching(/expecting type "IssueCreateInput!"/) });
    expect(await kinds({ query: "mutation { issueCreate { success } }" })).toMatchObject({ message: expect.stringMatching(/argument "input"/) });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { teamId: "x", title: "t", labels: [] } } })).toMatchObject({ message: expect.stringMatching(/Field "labels" is not defined/) });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { teamId: 5, title: "t" } } })).toMatchObject({ message: expect.stringMatching(/Field "teamId" of type "String"/) });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { title: "t" } } })).toMatchObject({ message: expect.stringMatching(/"teamId" of required type/) });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { teamId: "team", title: "t" } } })).toMatchObject({ type: "invalid input" });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { teamId: "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e", title: " " } } })).toMatchObject({ type: "invalid input" });
    expect(await kinds({ query: ISSUE_CREATE, variables: { input: { teamId: "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e", title: "t", priority: 9 } } })).toMatchObject({ type: "invalid input" });
    expect(await kinds({ query: COMMENT_CREATE, variables: { input: { issueId: "ENG-1", body: "" } } })).toMatchObject({ type: "invalid input" });
    expect(await kinds({ query: TEAMS, variables: { first: 500 } })).toMatchObject({ type: "invalid input" });
    expect(await kinds({ query: "}{" })).toMatchObject({ type: "graphql error", message: expect.stringMatching(/Syntax Error/) });
    expect(await kinds({ variables: {} })).toMatchObject({ message: "Must provide query string." });
    expect(await kinds({ query: TEAMS, variables: [] })).toMatchObject({ message: "Variables must be an object." });
    const get = await callApi(writer.provider, "GET", "/graphql", writer.accessToken);
    expect(get.status).toBe(400);
    // The catalog's own test query is still the test request.
    expect((await callTest(writer.provider, writer.accessToken)).status).toBe(200);
  });
});
