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

  test("is the same object each time (built once)", () => {
    expect(openApiDocument()).toBe(openApiDocument());
  });
});
