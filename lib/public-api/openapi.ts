/**
 * The OpenAPI 3.1 document of the public API, generated from the route table and its
 * zod schemas (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 */
import { z } from "zod";
import { API_KEY_SCOPES, scopeDescription } from "../api-keys/scopes";
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, type ProblemCode } from "./problem";
import { AUTH_PROBLEMS, OPERATION_IDS, ROUTES, type RouteSpec } from "./routes";
import { apiSchemas } from "./registry";
import "./schemas";

export const API_VERSION = "1.0.0";
const REF = (id: string) => `#/components/schemas/${id}`;

type Json = Record<string, unknown>;

/** A JSON Schema without the keys that only make sense at a document's root. */
function bare(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** A body or answer schema: each is registered in `apiSchemas`, so it is a `$ref` to its component. */
function schemaOf(schema: z.ZodType): Json {
  const id = apiSchemas.get(schema)?.id;
  if (!id) throw new Error("Every request and answer schema of the public API is registered in apiSchemas.");
  return { $ref: REF(id) };
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const [where, object] of [["path", spec.params], ["query", spec.query]] as const) {
    if (!object) continue;
    for (const [name, field] of Object.entries(object.shape)) {
      const schema = bare(z.toJSONSchema(field as z.ZodType, { io: "input" }) as Json);
      const { description, ...rest } = schema;
      out.push({
        name,
        in: where,
        required: where === "path" || !(field as z.ZodType).safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (spec.idempotent) {
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "1 to 255 printable ASCII characters; a repeat within 24 hours answers the first result.",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  return out;
}

/** The codes of a route grouped by HTTP status. */
export function problemsByStatus(codes: readonly ProblemCode[]): Map<number, ProblemCode[]> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = PROBLEM_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus.entries()].sort(([a], [b]) => a - b));
}

/** Every problem code a route can answer: its own, plus authentication and validation for keyed routes. */
export function routeProblems(spec: RouteSpec): ProblemCode[] {
  const codes = new Set<ProblemCode>(spec.scope === null ? spec.errors : [...AUTH_PROBLEMS, "invalid_request", ...spec.errors]);
  return [...codes];
}

const RATE_HEADERS = {
  "RateLimit-Policy": { description: "The key's limit: `\"per-key\";q=<requests>;w=<seconds>`.", schema: { type: "string" } },
  RateLimit: { description: "What is left: `\"per-key\";r=<remaining>;t=<seconds to reset>`.", schema: { type: "string" } },
};

function operation(operationId: string, spec: RouteSpec): Json {
  const responses: Json = {
    [String(spec.success.status)]: {
      description: spec.success.description,
      ...(spec.scope ? { headers: RATE_HEADERS } : {}),
      content: { "application/json": { schema: schemaOf(spec.success.schema) } },
    },
  };
  for (const [status, codes] of problemsByStatus(routeProblems(spec))) {
    responses[String(status)] = {
      description: `Problem: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
      ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds until a retry can succeed.", schema: { type: "integer" } }, ...RATE_HEADERS } } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: REF("Problem") } } },
    };
  }
  const params = parameters(spec);
  return {
    operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.scope ? { security: [{ apiKey: [spec.scope] }], "x-required-scope": spec.scope } : { security: [] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(spec.body) } } } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document, built from the route table on each call (a few milliseconds;
 * asked for by GET /v1/openapi.json and the reference page, not per API request).
 */
export function openApiDocument(): Json {
  const components = z.toJSONSchema(apiSchemas, { uri: REF, unrepresentable: "any" }).schemas as Record<string, Json>;
  const schemas: Json = Object.fromEntries(Object.entries(components).map(([id, schema]) => [id, bare(schema)]));
  const paths: Record<string, Json> = {};
  for (const operationId of OPERATION_IDS) {
    const spec: RouteSpec = ROUTES[operationId];
    paths[spec.path] = { ...(paths[spec.path] ?? {}), [spec.method.toLowerCase()]: operation(operationId, spec) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version: API_VERSION,
      description:
        "Switchboard's public HTTP API. Authenticate with `Authorization: Bearer sbk_…` (an API key from Settings → API keys). " +
        "Errors are RFC 9457 problem details with a stable `code`. Lists are paged with `limit` and `cursor`; " +
        "each page is `{ data, next_cursor }`.\n\nScopes:\n" +
        API_KEY_SCOPES.map((scope) => `- \`${scope}\`: ${scopeDescription(scope)}`).join("\n"),
    },
    servers: [{ url: "/", description: "The deployment's HTTP actions URL (CONVEX_SITE_URL)." }],
    security: [{ apiKey: [] }],
    tags: [...new Set(OPERATION_IDS.map((id) => ROUTES[id].tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "sbk_ + 32 base62 + 6-character checksum", description: "An API key." },
      },
    },
  };
}
