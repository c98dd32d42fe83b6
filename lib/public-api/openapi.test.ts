import { validate } from "@readme/openapi-parser";
import { describe, expect, test } from "vitest";
import { openApiDocument, problemsByStatus, routeProblems } from "./openapi";
import { OPERATION_IDS, ROUTES } from "./routes";

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, { content: Record<string, unknown> }>; parameters?: Array<{ name: string; in: string; required: boolean }> }>>;
  components: { schemas: Record<string, unknown> };
};

describe("openApiDocument", () => {
  test("is a valid OpenAPI 3.1 document to an independent parser", async () => {
    const result = await validate(structuredClone(openApiDocument()) as never);
    expect(result).toMatchObject({ valid: true, specification: "OpenAPI" });
    expect(openApiDocument().openapi).toBe("3.1.0");
  });

  test("has every route of the table, once, with its operation id, scope and answers", () => {
    const doc = openApiDocument() as Doc;
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(operations.map((op) => op.operationId).sort()).toEqual([...OPERATION_IDS].sort());
    for (const id of OPERATION_IDS) {
      const spec = ROUTES[id];
      const op = doc.paths[spec.path]![spec.method.toLowerCase()]!;
      expect(op.operationId).toBe(id);
      expect(Object.keys(op.responses)).toContain(String(spec.success.status));
      for (const status of problemsByStatus(routeProblems(spec)).keys()) {
        expect(op.responses[String(status)]!.content).toHaveProperty(["application/problem+json"]);
      }
      expect(op.security).toEqual(spec.scope ? [{ apiKey: [spec.scope] }] : []);
    }
  });

  test("shows a webhook endpoint's secret only in the create and rotate answers, and documents unsafe_url", () => {
    const doc = openApiDocument() as Doc;
    const schemas = doc.components.schemas as Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    expect(schemas.WebhookEndpoint!.properties).not.toHaveProperty("secret");
    expect(schemas.CreatedWebhookEndpoint!.required).toContain("secret");
    expect(schemas.RotatedWebhookSecret!.required).toContain("secret");
    expect(problemsByStatus(routeProblems(ROUTES.createWebhookEndpoint)).get(422)).toEqual(["unsafe_url"]);
    expect(doc.paths["/v1/webhook-endpoints/{endpointId}"]!.patch!.parameters).toEqual([expect.objectContaining({ name: "endpointId", in: "path", required: true })]);
  });

  test("documents path and query parameters and the Idempotency-Key header", () => {
    const doc = openApiDocument() as Doc;
    expect(doc.paths["/v1/connections"]!.get!.parameters).toEqual([
      expect.objectContaining({ name: "limit", in: "query", required: false }),
      expect.objectContaining({ name: "cursor", in: "query", required: false }),
    ]);
    expect(doc.paths["/v1/actions/{actionId}/run"]!.post!.parameters).toEqual([
      expect.objectContaining({ name: "actionId", in: "path", required: true }),
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    ]);
  });

  test("keyed routes answer authentication, scope, rate-limit and validation problems; the document none", () => {
    expect([...problemsByStatus(routeProblems(ROUTES.listConnections)).keys()]).toEqual([400, 401, 403, 429]);
    expect(problemsByStatus(routeProblems(ROUTES.listConnections)).get(401)).toEqual([
      "unauthenticated",
      "malformed_key",
      "invalid_key_checksum",
      "unknown_key",
      "key_revoked",
      "key_expired",
      "key_rotated",
    ]);
    expect(routeProblems(ROUTES.getOpenApiDocument)).toEqual([]);
    expect(Object.keys((openApiDocument() as Doc).components.schemas)).toEqual(expect.arrayContaining(["Problem", "Connection", "ConnectionPage", "Action", "WorkflowRun", "CallTrace"]));
  });

  test("describes the document, its key scheme, servers and tags", () => {
    const doc = openApiDocument() as Record<string, unknown> & { info: { description: string } };
    expect(doc.servers).toEqual([{ url: "/", description: "The deployment's HTTP actions URL (CONVEX_SITE_URL)." }]);
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.tags).toEqual([{ name: "Connections" }, { name: "Actions" }, { name: "Workflows" }, { name: "Calls" }, { name: "Events" }, { name: "Webhook endpoints" }, { name: "Meta" }]);
    expect((doc.components as { securitySchemes: unknown }).securitySchemes).toEqual({
      apiKey: { type: "http", scheme: "bearer", bearerFormat: "sbk_ + 32 base62 + 6-character checksum", description: "An API key." },
    });
    expect(doc.info).toMatchObject({ title: "Switchboard API", version: "1.0.0" });
    expect(doc.info.description).toContain("Authorization: Bearer sbk_");
    expect(doc.info.description).toContain("\n- `actions:run`: Run a provider action.\n- `workflows:run`");
  });

  test("the public document route: no security, no parameters, no problems", () => {
    const doc = openApiDocument() as Doc;
    expect(doc.paths["/v1/openapi.json"]!.get).toEqual({
      operationId: "getOpenApiDocument",
      summary: "This API's OpenAPI 3.1 document",
      tags: ["Meta"],
      security: [],
      responses: { "200": { description: "The document.", content: { "application/json": { schema: { $ref: "#/components/schemas/OpenApiDocument" } } } } },
    });
  });

  test("a keyed operation in full: scope, parameters, body, answers with their headers", () => {
    const problem = (codes: string) => ({
      description: `Problem: ${codes}.`,
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
    const rateHeaders = {
      "RateLimit-Policy": { description: 'The key\'s limit: `"per-key";q=<requests>;w=<seconds>`.', schema: { type: "string" } },
      RateLimit: { description: 'What is left: `"per-key";r=<remaining>;t=<seconds to reset>`.', schema: { type: "string" } },
    };
    expect((openApiDocument() as Doc).paths["/v1/actions/{actionId}/run"]!.post).toEqual({
      operationId: "runAction",
      summary: "Run an action",
      description: ROUTES.runAction.description,
      tags: ["Actions"],
      security: [{ apiKey: ["actions:run"] }],
      "x-required-scope": "actions:run",
      parameters: [
        { name: "actionId", in: "path", required: true, description: "An action id: `slack.post_message`.", schema: { type: "string", minLength: 1, maxLength: 128 } },
        {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "1 to 255 printable ASCII characters; a repeat within 24 hours answers the first result.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      ],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ActionRunRequest" } } } },
      responses: {
        "200": { description: "The action ran; its output.", headers: rateHeaders, content: { "application/json": { schema: { $ref: "#/components/schemas/ActionRun" } } } },
        "400": problem("`invalid_request`"),
        "401": problem("`unauthenticated`, `malformed_key`, `invalid_key_checksum`, `unknown_key`, `key_revoked`, `key_expired`, `key_rotated`"),
        "403": problem("`insufficient_scope`, `connection_not_allowed`"),
        "404": problem("`not_found`"),
        "409": problem("`not_connected`, `missing_scope`, `auth_revoked`"),
        "422": problem("`invalid_input`"),
        "429": { ...problem("`rate_limited`"), headers: { "Retry-After": { description: "Seconds until a retry can succeed.", schema: { type: "integer" } }, ...rateHeaders } },
        "502": problem("`provider_error`"),
        "503": problem("`provider_rate_limited`"),
        "504": problem("`timeout`"),
      },
    });
  });

  test("query parameters with defaults are optional and keep their descriptions and bounds", () => {
    expect((openApiDocument() as Doc).paths["/v1/connections"]!.get!.parameters).toEqual([
      { name: "limit", in: "query", required: false, description: "Items per page, 1 to 100.", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
      { name: "cursor", in: "query", required: false, description: "`next_cursor` of the previous page.", schema: { type: "string", maxLength: 200 } },
    ]);
  });

  test("components are bare schemas that refer to each other", () => {
    const schemas = (openApiDocument() as Doc).components.schemas as Record<string, Record<string, unknown>>;
    for (const schema of Object.values(schemas)) {
      expect(schema).not.toHaveProperty("$schema");
      expect(schema).not.toHaveProperty("$id");
    }
    expect(schemas.ConnectionPage).toMatchObject({ properties: { data: { type: "array", items: { $ref: "#/components/schemas/Connection" } } } });
  });
});
