/**
 * Salesforce REST API actions, under the org's instance URL (the connection's API base, from
 * the token answer's `instance_url`) + `/services/data/v60.0`.
 * Create: `POST /sobjects/{object}` → 201 `{ id, success, errors }`
 * (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/dome_sobject_create.htm);
 * update: `PATCH /sobjects/{object}/{id}` → 204 without a body (…/dome_update_fields.htm);
 * query: `GET /query?q=<SOQL>` → `{ totalSize, done, records, nextRecordsUrl? }`, up to 2,000
 * records a batch, a bad query `MALFORMED_QUERY` (developer.salesforce.com/docs/platform/api-rest/guide/resources-query);
 * describe global: `GET /sobjects` → `{ encoding, maxBatchSize, sobjects: [{ name, label,
 * createable, … }] }`, every object at once (developer.salesforce.com/docs/platform/api/guide/sforce-api-calls-describeglobal-describeglobalresult).
 * Errors are an array `[{ message, errorCode, fields? }]`
 * (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm): 400 for a
 * body or query Salesforce cannot use (REQUIRED_FIELD_MISSING with `fields`, INVALID_FIELD
 * "No such column 'X' on sobject of type Y", MALFORMED_QUERY), 401 INVALID_SESSION_ID, 403
 * REQUEST_LIMIT_EXCEEDED for the org's API limits, 404 NOT_FOUND for an unknown object or
 * record. Record IDs are 15 characters (case-sensitive) or 18 (case-insensitive).
 * Scope: `api` ("Access and manage your data"), a default scope of the catalog entry.
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const SALESFORCE = "Salesforce";

/** The REST API version every action speaks (the one the call pipeline's tests use). */
export const SALESFORCE_API_VERSION = "v60.0";
const DATA = `/services/data/${SALESFORCE_API_VERSION}`;

type SalesforceError = { message?: unknown; errorCode?: unknown; fields?: unknown };

/**
 * Where an action puts Salesforce's input errors: all on one input field (a query's `q`), or
 * on the record's fields by name, with NOT_FOUND on the input that named what is missing.
 */
export type ErrorPlacement = { field: string } | { notFound: string };

/** The input field a 400 error is about: the record's own fields by name, or the placement's field. */
function inputFields(errors: SalesforceError[], placement: ErrorPlacement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const message = typeof error.message === "string" ? error.message : "invalid value";
    if ("field" in placement) {
      fields[placement.field] ??= message;
      continue;
    }
    const named = Array.isArray(error.fields) ? error.fields.filter((name): name is string => typeof name === "string") : [];
    const column = /No such column '([^']+)'/.exec(message)?.[1];
    const names = named.length > 0 ? named : column ? [column] : [];
    if (names.length === 0) fields.fields ??= message;
    for (const name of names) fields[`fields.${name}`] ??= message;
  }
  return fields;
}

/** A Salesforce answer's failure, or null when it succeeded (2xx). */
export function salesforceFailure(answer: ActionAnswer, placement: ErrorPlacement): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const errors = [answer.json].flat().filter((item): item is SalesforceError => typeof item === "object" && item !== null);
  const first = errors[0];
  const errorCode = typeof first?.errorCode === "string" ? first.errorCode : undefined;
  const message = typeof first?.message === "string" ? first.message : undefined;
  const providerCode = errorCode ? { providerCode: errorCode } : {};
  if (errorCode === "REQUEST_LIMIT_EXCEEDED") {
    const after = retryAfterMs(answer.headers);
    return {
      code: "rate_limited",
      message: `Salesforce refused the request: the org's API request limit is used up${message ? ` (${message})` : ""}.`,
      retryable: true,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
      providerCode: errorCode,
      status,
    };
  }
  if (status === 400 && message) {
    return providerValidationFailure(SALESFORCE, message, inputFields(errors, placement), { ...providerCode, status });
  }
  if (status === 404 && errorCode === "NOT_FOUND" && "notFound" in placement) {
    return providerValidationFailure(SALESFORCE, message ?? "not found.", { [placement.notFound]: "Salesforce has no such object or record." }, { ...providerCode, status });
  }
  return { ...failureOfStatus(answer, SALESFORCE, errorCode), ...providerCode };
}

function salesforceJson<T>(answer: ActionAnswer, placement: ErrorPlacement, read: (body: never) => T): ActionMapping<T> {
  const failure = salesforceFailure(answer, placement);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

/** An object's API name: `Account`, `Invoice__c`. */
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const objectField = z
  .string()
  .trim()
  .max(100, "Salesforce object names are at most 100 characters.")
  .regex(API_NAME, "An object's API name, like Account or Invoice__c.")
  .meta({ title: "Object", description: "The object's API name.", examples: ["Account"], ...fromLookup("salesforce.list_objects") });

const recordIdField = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/, "A Salesforce record ID has 15 or 18 letters and digits.")
  .meta({ title: "Record ID", description: "The record's 15- or 18-character ID.", examples: ["001D000000IqhSLIAZ"] });

const recordFields = z
  .record(z.string().regex(API_NAME), z.json(), {
    error: (issue) => (issue.code === "invalid_key" ? "A field's API name, like Name or Amount__c." : undefined),
  })
  .refine((fields) => Object.keys(fields).length > 0, "Set at least one field.")
  .meta({
    title: "Fields",
    description: "Field API names and their values, as Salesforce's REST API takes them.",
    examples: [{ Name: "Acme", Industry: "Manufacturing" }],
  });

const RECORD: ErrorPlacement = { notFound: "object" };

export const salesforceCreateRecord = defineAction({
  id: "salesforce.create_record",
  version: 1,
  providerId: "salesforce",
  title: "Create a record",
  description: "Creates a record of any object (Account, Contact, a custom object…) with the given field values.",
  effect: "write",
  scopes: ["api"],
  input: z.object({ object: objectField, fields: recordFields }),
  output: z.object({
    id: z.string().describe("The new record's 18-character ID."),
    success: z.boolean(),
  }),
  request: (input) => ({ method: "POST", path: `${DATA}/sobjects/${pathSegment(input.object)}`, body: { json: input.fields } }),
  response: (answer) => salesforceJson(answer, RECORD, (body: { id: string; success: boolean }) => ({ id: body.id, success: body.success })),
});

export const salesforceUpdateRecord = defineAction({
  id: "salesforce.update_record",
  version: 1,
  providerId: "salesforce",
  title: "Update a record",
  description: "Changes the given fields of one record; fields not named keep their values.",
  effect: "write",
  scopes: ["api"],
  input: z.object({ object: objectField, recordId: recordIdField, fields: recordFields }),
  output: z.object({ updated: z.literal(true) }),
  request: (input) => ({
    method: "PATCH",
    path: `${DATA}/sobjects/${pathSegment(input.object)}/${pathSegment(input.recordId)}`,
    body: { json: input.fields },
  }),
  response: (answer) => salesforceJson(answer, { notFound: "recordId" }, () => ({ updated: true as const })),
});

export const salesforceQuery = defineAction({
  id: "salesforce.query",
  version: 1,
  providerId: "salesforce",
  title: "Run a SOQL query",
  description: "Runs a SOQL query and gives the first batch of records (up to 2,000).",
  effect: "read",
  scopes: ["api"],
  input: z.object({
    q: z
      .string()
      .trim()
      .min(1, "Write a SOQL query.")
      // Sent in the URL, which Salesforce limits to 16,384 bytes (?).
      .max(10_000, "Keep the query under 10,000 characters.")
      .meta({ title: "SOQL query", examples: ["SELECT Id, Name FROM Account WHERE Industry = 'Manufacturing' LIMIT 10"] }),
  }),
  output: z.object({
    totalSize: z.number().int().describe("How many records match."),
    done: z.boolean().describe("False when more batches remain."),
    records: z.array(z.record(z.string(), z.unknown())),
    nextRecordsUrl: z.string().optional().describe("Where the next batch is, when done is false."),
  }),
  request: (input) => ({ method: "GET", path: `${DATA}/query`, query: { q: input.q } }),
  response: (answer) =>
    salesforceJson(answer, { field: "q" }, (body: { totalSize: number; done: boolean; records: Array<Record<string, unknown>>; nextRecordsUrl?: string }) => ({
      totalSize: body.totalSize,
      done: body.done,
      records: body.records,
      ...(body.nextRecordsUrl ? { nextRecordsUrl: body.nextRecordsUrl } : {}),
    })),
});

/** Objects per lookup page: Salesforce gives them all at once, so the lookup pages them itself. */
export const OBJECTS_PAGE_SIZE = 200;

/** The offset a lookup cursor holds: `undefined` is the first page. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,6}$/.test(cursor)) throw new Error("This cursor was not given by the object lookup.");
  return Number(cursor);
}

export const salesforceListObjects = defineAction({
  id: "salesforce.list_objects",
  version: 1,
  providerId: "salesforce",
  kind: "lookup",
  title: "List objects",
  description: "Objects records can be created in (standard and custom), in Salesforce's order.",
  effect: "read",
  scopes: ["api"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => {
    offsetOf(input.cursor);
    return { method: "GET", path: `${DATA}/sobjects` };
  },
  response: (answer, input) =>
    salesforceJson(answer, { field: "cursor" }, (body: { sobjects: Array<{ name: string; label: string; createable: boolean }> }) => {
      const from = offsetOf(input.cursor);
      const createable = body.sobjects.filter((object) => object.createable);
      const next = from + OBJECTS_PAGE_SIZE;
      return {
        options: createable
          .slice(from, next)
          .map((object) => ({ value: object.name, label: object.label, ...(object.label !== object.name ? { hint: object.name } : {}) })),
        ...(next < createable.length ? { nextCursor: String(next) } : {}),
      };
    }),
});

export const salesforceActions = [salesforceCreateRecord, salesforceUpdateRecord, salesforceQuery, salesforceListObjects];
