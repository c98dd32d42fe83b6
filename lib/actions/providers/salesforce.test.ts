import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext, AnyAction } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import {
  SALESFORCE_API_VERSION,
  salesforceActions,
  salesforceCreateRecord,
  salesforceFailure,
  salesforceListObjects,
  salesforceQuery,
  salesforceUpdateRecord,
} from "./salesforce";

const context: ActionContext = { config: { apiBaseUrl: "https://acme.my.salesforce.com" }, scopes: ["api"], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));

function parsed(action: AnyAction, raw: unknown): never {
  const result = parseInput(action, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.input as never;
}
function requestFor(action: AnyAction, raw: unknown) {
  const built = buildRequest(action, parsed(action, raw), context);
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}
function fieldErrors(action: AnyAction, raw: unknown) {
  const result = parseInput(action, raw);
  return result.ok ? null : result.error.fields;
}

const RECORD = { notFound: "object" } as const;
const ACCOUNT_ID = "001D000000IqhSLIAZ";

describe("requests", () => {
  test("the API version is v60.0", () => {
    expect(SALESFORCE_API_VERSION).toBe("v60.0");
  });

  test("create_record POSTs the fields as JSON to the object's sobjects path", () => {
    expect(requestFor(salesforceCreateRecord, { object: " Account ", fields: { Name: "Acme", NumberOfEmployees: 12, Active__c: true, Parent: null } })).toStrictEqual({
      method: "POST",
      path: "/services/data/v60.0/sobjects/Account",
      body: { json: { Name: "Acme", NumberOfEmployees: 12, Active__c: true, Parent: null } },
    });
  });

  test("update_record PATCHes the record's path", () => {
    expect(requestFor(salesforceUpdateRecord, { object: "Invoice__c", recordId: " a0B5e000001AbCd ", fields: { Status__c: "Paid" } })).toStrictEqual({
      method: "PATCH",
      path: "/services/data/v60.0/sobjects/Invoice__c/a0B5e000001AbCd",
      body: { json: { Status__c: "Paid" } },
    });
  });

  test("query sends the SOQL as q, trimmed", () => {
    expect(requestFor(salesforceQuery, { q: "  SELECT Id FROM Account  " })).toStrictEqual({
      method: "GET",
      path: "/services/data/v60.0/query",
      query: { q: "SELECT Id FROM Account" },
    });
  });

  test("list_objects reads describe global, whatever the page", () => {
    const expected = { method: "GET", path: "/services/data/v60.0/sobjects" };
    expect(requestFor(salesforceListObjects, {})).toStrictEqual(expected);
    expect(requestFor(salesforceListObjects, { cursor: "200" })).toStrictEqual(expected);
  });

  test.each(["abc", "-200", "1e3", "1234567", " 200"])("a cursor %j the lookup never gave is invalid input", (cursor) => {
    expect(buildRequest(salesforceListObjects, { cursor }, context)).toStrictEqual({
      ok: false,
      error: { code: "invalid_input", message: "This cursor was not given by the object lookup.", retryable: false },
    });
  });
});

describe("inputs", () => {
  test.each([
    [{ object: "Bad Name", fields: { Name: "x" } }, { object: "An object's API name, like Account or Invoice__c." }],
    [{ object: "1Account", fields: { Name: "x" } }, { object: "An object's API name, like Account or Invoice__c." }],
    [{ object: "Account/x", fields: { Name: "x" } }, { object: "An object's API name, like Account or Invoice__c." }],
    [{ object: `A${"b".repeat(100)}`, fields: { Name: "x" } }, { object: "Salesforce object names are at most 100 characters." }],
    [{ object: "Account", fields: {} }, { fields: "Set at least one field." }],
    [{ object: "Account", fields: { "Bad name": 1, ok: 2, "x-y": 3 } }, { "fields.Bad name": "A field's API name, like Name or Amount__c.", "fields.x-y": "A field's API name, like Name or Amount__c." }],
  ])("create %j is refused with %j", (raw, fields) => {
    expect(fieldErrors(salesforceCreateRecord, raw)).toStrictEqual(fields);
  });

  test.each(["001D000000IqhSL", ACCOUNT_ID])("record ID %j is accepted", (recordId) => {
    expect(fieldErrors(salesforceUpdateRecord, { object: "Account", recordId, fields: { Name: "x" } })).toBeNull();
  });

  test.each(["001D000000IqhS", "001D000000IqhSLIA", "001D000000IqhSLIAZ1", "001D000000IqhS-IAZ", "x001D000000IqhSL"])("record ID %j is refused", (recordId) => {
    expect(fieldErrors(salesforceUpdateRecord, { object: "Account", recordId, fields: { Name: "x" } })).toStrictEqual({
      recordId: "A Salesforce record ID has 15 or 18 letters and digits.",
    });
  });

  test("fields must be a record", () => {
    expect(fieldErrors(salesforceCreateRecord, { object: "Account", fields: "Name=Acme" })).toStrictEqual({
      fields: "Invalid input: expected record, received string",
    });
  });

  test("a query must be there and not too long", () => {
    expect(fieldErrors(salesforceQuery, { q: "   " })).toStrictEqual({ q: "Write a SOQL query." });
    expect(fieldErrors(salesforceQuery, { q: "x".repeat(10_001) })).toStrictEqual({ q: "Keep the query under 10,000 characters." });
    expect(fieldErrors(salesforceQuery, { q: "x".repeat(10_000) })).toBeNull();
    expect(fieldErrors(salesforceCreateRecord, { object: `A${"b".repeat(99)}`, fields: { A: 1 } })).toBeNull();
  });
});

describe("answers", () => {
  test("create_record gives the new id and success", () => {
    const read = readAnswer(salesforceCreateRecord, {}, answer(201, { id: ACCOUNT_ID, errors: [], success: true }), "Salesforce");
    expect(read).toStrictEqual({ ok: true, output: { id: ACCOUNT_ID, success: true } });
  });

  test("update_record's 204 is updated, and its not-found is about the record", () => {
    expect(readAnswer(salesforceUpdateRecord, {}, answer(204, ""), "Salesforce")).toStrictEqual({ ok: true, output: { updated: true } });
    const gone = salesforceUpdateRecord.response(answer(404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]), parsed(salesforceUpdateRecord, { object: "Account", recordId: ACCOUNT_ID, fields: { Name: "x" } }));
    expect(gone).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { recordId: "Salesforce has no such object or record." } } });
  });

  test("create_record's not-found is about the object", () => {
    const gone = salesforceCreateRecord.response(answer(404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]), parsed(salesforceCreateRecord, { object: "Nope", fields: { Name: "x" } }));
    expect(gone).toMatchObject({ ok: false, error: { fields: { object: "Salesforce has no such object or record." } } });
  });

  test("query gives totals, records and the next batch's URL when there is one", () => {
    const records = [{ attributes: { type: "Account", url: `/services/data/v60.0/sobjects/Account/${ACCOUNT_ID}` }, Id: ACCOUNT_ID, Name: "Acme" }];
    const more = { totalSize: 3222, done: false, nextRecordsUrl: "/services/data/v60.0/query/01gRO0000016PIAYA2-2000", records };
    expect(readAnswer(salesforceQuery, {}, answer(200, more), "Salesforce")).toStrictEqual({ ok: true, output: more });
    expect(readAnswer(salesforceQuery, {}, answer(200, { totalSize: 1, done: true, records }), "Salesforce")).toStrictEqual({
      ok: true,
      output: { totalSize: 1, done: true, records },
    });
    const bad = salesforceQuery.response(answer(400, [{ errorCode: "MALFORMED_QUERY", message: "unexpected token: FORM" }]), { q: "SELECT Id FORM Account" });
    expect(bad).toStrictEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Salesforce refused the input: unexpected token: FORM",
        retryable: false,
        fields: { q: "unexpected token: FORM" },
        providerCode: "MALFORMED_QUERY",
        status: 400,
      },
    });
  });

  const sobjects = [
    { name: "Account", label: "Account", createable: true },
    { name: "AccountHistory", label: "Account History", createable: false },
    ...Array.from({ length: 250 }, (_, i) => ({ name: `Thing${i}__c`, label: `Thing ${i}`, createable: true })),
  ];
  const describeGlobal = { encoding: "UTF-8", maxBatchSize: 200, sobjects };

  test("list_objects pages the createable objects 200 at a time, with the API name as a hint when the label differs", () => {
    const first = readAnswer(salesforceListObjects, { cursor: undefined }, answer(200, describeGlobal), "Salesforce");
    if (!first.ok) throw new Error("first page failed");
    const page = first.output as { options: Array<{ value: string; label: string; hint?: string }>; nextCursor?: string };
    expect(page.options).toHaveLength(200);
    expect(page.options.slice(0, 2)).toStrictEqual([
      { value: "Account", label: "Account" },
      { value: "Thing0__c", label: "Thing 0", hint: "Thing0__c" },
    ]);
    expect(page.options.at(-1)).toStrictEqual({ value: "Thing198__c", label: "Thing 198", hint: "Thing198__c" });
    expect(page.nextCursor).toBe("200");

    const second = readAnswer(salesforceListObjects, { cursor: "200" }, answer(200, describeGlobal), "Salesforce");
    expect(second).toStrictEqual({
      ok: true,
      output: {
        options: Array.from({ length: 51 }, (_, i) => ({ value: `Thing${i + 199}__c`, label: `Thing ${i + 199}`, hint: `Thing${i + 199}__c` })),
      },
    });
  });

  test("list_objects puts an input error on the cursor", () => {
    const bad = salesforceListObjects.response(answer(400, [{ errorCode: "INVALID_QUERY_LOCATOR", message: "bad page" }]), { cursor: "200" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { cursor: "bad page" } } });
  });

  test("exactly a page of objects has no next page", () => {
    const exact = { sobjects: Array.from({ length: 200 }, (_, i) => ({ name: `O${i}`, label: `O${i}`, createable: true })) };
    const only = readAnswer(salesforceListObjects, {}, answer(200, exact), "Salesforce");
    expect(only.ok && Object.keys(only.output as object)).toStrictEqual(["options"]);
    const past = readAnswer(salesforceListObjects, { cursor: "400" }, answer(200, exact), "Salesforce");
    expect(past).toStrictEqual({ ok: true, output: { options: [] } });
  });
});

describe("salesforceFailure", () => {
  test.each([200, 201, 204, 299])("HTTP %i is a success", (status) => {
    expect(salesforceFailure(answer(status, ""), RECORD)).toBeNull();
  });

  test.each([199, 300])("HTTP %i is not", (status) => {
    expect(salesforceFailure(answer(status, ""), RECORD)).toMatchObject({ code: "provider_error", status });
  });

  test("REQUIRED_FIELD_MISSING names the record's fields Salesforce listed", () => {
    const said = [{ message: "Required fields are missing: [LastName, Company]", errorCode: "REQUIRED_FIELD_MISSING", fields: ["LastName", "Company", 3] }];
    expect(salesforceFailure(answer(400, said), RECORD)).toStrictEqual({
      code: "invalid_input",
      message: "Salesforce refused the input: Required fields are missing: [LastName, Company]",
      retryable: false,
      fields: { "fields.LastName": "Required fields are missing: [LastName, Company]", "fields.Company": "Required fields are missing: [LastName, Company]" },
      providerCode: "REQUIRED_FIELD_MISSING",
      status: 400,
    });
  });

  test("INVALID_FIELD without fields names the column from the message; others land on the fields input", () => {
    const said = [
      { message: "No such column 'Colour__c' on sobject of type Account", errorCode: "INVALID_FIELD" },
      { message: "The Id field should not be specified in the sobject data.", errorCode: "INVALID_FIELD", fields: [] },
      { message: "Second on the fields input", errorCode: "INVALID_FIELD" },
      { errorCode: "STRING_TOO_LONG", fields: ["Name"] },
      { message: "Again Colour", errorCode: "INVALID_FIELD", fields: ["Colour__c"] },
      "not an error object",
      null,
    ];
    expect(salesforceFailure(answer(400, said), RECORD)).toStrictEqual({
      code: "invalid_input",
      message: "Salesforce refused the input: No such column 'Colour__c' on sobject of type Account",
      retryable: false,
      fields: {
        "fields.Colour__c": "No such column 'Colour__c' on sobject of type Account",
        fields: "The Id field should not be specified in the sobject data.",
        "fields.Name": "invalid value",
      },
      providerCode: "INVALID_FIELD",
      status: 400,
    });
  });

  test("a query's errors all land on q", () => {
    const said = [
      { message: "No such column 'Nme' on entity 'Account'.", errorCode: "INVALID_FIELD", fields: ["Nme"] },
      { message: "second", errorCode: "INVALID_FIELD" },
    ];
    expect(salesforceFailure(answer(400, said), { field: "q" })).toMatchObject({
      code: "invalid_input",
      fields: { q: "No such column 'Nme' on entity 'Account'." },
    });
  });

  test("only objects are Salesforce errors, and one error object alone is read too", () => {
    const said = ["oops", { message: "Bad value for Status__c", errorCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" }];
    expect(salesforceFailure(answer(400, said), RECORD)).toStrictEqual({
      code: "invalid_input",
      message: "Salesforce refused the input: Bad value for Status__c",
      retryable: false,
      fields: { fields: "Bad value for Status__c" },
      providerCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      status: 400,
    });
    expect(salesforceFailure(answer(400, { message: "Alone", errorCode: "JSON_PARSER_ERROR" }), RECORD)).toMatchObject({
      code: "invalid_input",
      providerCode: "JSON_PARSER_ERROR",
    });
  });

  test("a 400 without a message is a provider error", () => {
    expect(salesforceFailure(answer(400, [{ errorCode: 7 }]), RECORD)).toStrictEqual({
      code: "provider_error",
      message: "Salesforce answered HTTP 400.",
      retryable: false,
      status: 400,
    });
  });

  test("REQUEST_LIMIT_EXCEEDED (403) is rate limited, with Retry-After when Salesforce sends one", () => {
    const said = [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }];
    expect(salesforceFailure(answer(403, said), RECORD)).toStrictEqual({
      code: "rate_limited",
      message: "Salesforce refused the request: the org's API request limit is used up (TotalRequests Limit exceeded.).",
      retryable: true,
      providerCode: "REQUEST_LIMIT_EXCEEDED",
      status: 403,
    });
    expect(salesforceFailure(answer(403, [{ errorCode: "REQUEST_LIMIT_EXCEEDED" }], { "Retry-After": "60" }), { field: "q" })).toStrictEqual({
      code: "rate_limited",
      message: "Salesforce refused the request: the org's API request limit is used up.",
      retryable: true,
      retryAfterMs: 60_000,
      providerCode: "REQUEST_LIMIT_EXCEEDED",
      status: 403,
    });
  });

  test("INVALID_SESSION_ID (401) is a refused credential", () => {
    expect(salesforceFailure(answer(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]), RECORD)).toStrictEqual({
      code: "auth_revoked",
      message: "Salesforce refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "INVALID_SESSION_ID",
      status: 401,
    });
  });

  test("NOT_FOUND is input only where the action says which input; otherwise the status speaks", () => {
    const notFound = [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }];
    expect(salesforceFailure(answer(404, notFound), RECORD)).toStrictEqual({
      code: "invalid_input",
      message: "Salesforce refused the input: The requested resource does not exist",
      retryable: false,
      fields: { object: "Salesforce has no such object or record." },
      providerCode: "NOT_FOUND",
      status: 404,
    });
    expect(salesforceFailure(answer(404, [{ errorCode: "NOT_FOUND" }]), RECORD)).toMatchObject({ message: "Salesforce refused the input: not found." });
    expect(salesforceFailure(answer(404, notFound), { field: "q" })).toStrictEqual({
      code: "provider_error",
      message: "Salesforce answered HTTP 404: NOT_FOUND.",
      retryable: false,
      providerCode: "NOT_FOUND",
      status: 404,
    });
    expect(salesforceFailure(answer(404, [{ errorCode: "ENTITY_IS_DELETED", message: "gone" }]), RECORD)).toMatchObject({ code: "provider_error" });
    expect(salesforceFailure(answer(410, notFound), RECORD)).toMatchObject({ code: "provider_error", status: 410 });
  });

  test("other 403s and 5xx go by status, with Salesforce's code", () => {
    expect(salesforceFailure(answer(403, [{ errorCode: "INSUFFICIENT_ACCESS", message: "no" }]), RECORD)).toStrictEqual({
      code: "provider_error",
      message: "Salesforce answered HTTP 403: INSUFFICIENT_ACCESS.",
      retryable: false,
      providerCode: "INSUFFICIENT_ACCESS",
      status: 403,
    });
    expect(salesforceFailure(answer(503, { not: "an array" }), RECORD)).toStrictEqual({
      code: "provider_error",
      message: "Salesforce answered HTTP 503.",
      retryable: true,
      status: 503,
    });
  });
});

describe("catalog", () => {

  test("descriptions", () => {
    expect(salesforceActions.map(actionSpec)).toMatchInlineSnapshot(`
      [
        {
          "description": "Creates a record of any object (Account, Contact, a custom object…) with the given field values.",
          "effect": "write",
          "id": "salesforce.create_record",
          "inputSchema": {
            "$defs": {
              "__schema0": {
                "anyOf": [
                  {
                    "type": "string",
                  },
                  {
                    "type": "number",
                  },
                  {
                    "type": "boolean",
                  },
                  {
                    "type": "null",
                  },
                  {
                    "items": {
                      "$ref": "#/$defs/__schema0",
                    },
                    "type": "array",
                  },
                  {
                    "additionalProperties": {
                      "$ref": "#/$defs/__schema0",
                    },
                    "propertyNames": {
                      "type": "string",
                    },
                    "type": "object",
                  },
                ],
              },
            },
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "fields": {
                "additionalProperties": {
                  "$ref": "#/$defs/__schema0",
                },
                "description": "Field API names and their values, as Salesforce's REST API takes them.",
                "examples": [
                  {
                    "Industry": "Manufacturing",
                    "Name": "Acme",
                  },
                ],
                "propertyNames": {
                  "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
                  "type": "string",
                },
                "title": "Fields",
                "type": "object",
              },
              "object": {
                "description": "The object's API name.",
                "examples": [
                  "Account",
                ],
                "lookup": {
                  "action": "salesforce.list_objects",
                },
                "maxLength": 100,
                "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
                "title": "Object",
                "type": "string",
              },
            },
            "required": [
              "object",
              "fields",
            ],
            "type": "object",
          },
          "kind": "operation",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "id": {
                "description": "The new record's 18-character ID.",
                "type": "string",
              },
              "success": {
                "type": "boolean",
              },
            },
            "required": [
              "id",
              "success",
            ],
            "type": "object",
          },
          "providerId": "salesforce",
          "scopes": [
            "api",
          ],
          "title": "Create a record",
          "version": 1,
        },
        {
          "description": "Changes the given fields of one record; fields not named keep their values.",
          "effect": "write",
          "id": "salesforce.update_record",
          "inputSchema": {
            "$defs": {
              "__schema0": {
                "anyOf": [
                  {
                    "type": "string",
                  },
                  {
                    "type": "number",
                  },
                  {
                    "type": "boolean",
                  },
                  {
                    "type": "null",
                  },
                  {
                    "items": {
                      "$ref": "#/$defs/__schema0",
                    },
                    "type": "array",
                  },
                  {
                    "additionalProperties": {
                      "$ref": "#/$defs/__schema0",
                    },
                    "propertyNames": {
                      "type": "string",
                    },
                    "type": "object",
                  },
                ],
              },
            },
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "fields": {
                "additionalProperties": {
                  "$ref": "#/$defs/__schema0",
                },
                "description": "Field API names and their values, as Salesforce's REST API takes them.",
                "examples": [
                  {
                    "Industry": "Manufacturing",
                    "Name": "Acme",
                  },
                ],
                "propertyNames": {
                  "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
                  "type": "string",
                },
                "title": "Fields",
                "type": "object",
              },
              "object": {
                "description": "The object's API name.",
                "examples": [
                  "Account",
                ],
                "lookup": {
                  "action": "salesforce.list_objects",
                },
                "maxLength": 100,
                "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
                "title": "Object",
                "type": "string",
              },
              "recordId": {
                "description": "The record's 15- or 18-character ID.",
                "examples": [
                  "001D000000IqhSLIAZ",
                ],
                "pattern": "^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$",
                "title": "Record ID",
                "type": "string",
              },
            },
            "required": [
              "object",
              "recordId",
              "fields",
            ],
            "type": "object",
          },
          "kind": "operation",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "updated": {
                "const": true,
                "type": "boolean",
              },
            },
            "required": [
              "updated",
            ],
            "type": "object",
          },
          "providerId": "salesforce",
          "scopes": [
            "api",
          ],
          "title": "Update a record",
          "version": 1,
        },
        {
          "description": "Runs a SOQL query and gives the first batch of records (up to 2,000).",
          "effect": "read",
          "id": "salesforce.query",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "q": {
                "examples": [
                  "SELECT Id, Name FROM Account WHERE Industry = 'Manufacturing' LIMIT 10",
                ],
                "maxLength": 10000,
                "minLength": 1,
                "title": "SOQL query",
                "type": "string",
              },
            },
            "required": [
              "q",
            ],
            "type": "object",
          },
          "kind": "operation",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "done": {
                "description": "False when more batches remain.",
                "type": "boolean",
              },
              "nextRecordsUrl": {
                "description": "Where the next batch is, when done is false.",
                "type": "string",
              },
              "records": {
                "items": {
                  "additionalProperties": {},
                  "propertyNames": {
                    "type": "string",
                  },
                  "type": "object",
                },
                "type": "array",
              },
              "totalSize": {
                "description": "How many records match.",
                "maximum": 9007199254740991,
                "minimum": -9007199254740991,
                "type": "integer",
              },
            },
            "required": [
              "totalSize",
              "done",
              "records",
            ],
            "type": "object",
          },
          "providerId": "salesforce",
          "scopes": [
            "api",
          ],
          "title": "Run a SOQL query",
          "version": 1,
        },
        {
          "description": "Objects records can be created in (standard and custom), in Salesforce's order.",
          "effect": "read",
          "id": "salesforce.list_objects",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "cursor": {
                "description": "From the previous page's nextCursor.",
                "maxLength": 2048,
                "type": "string",
              },
            },
            "type": "object",
          },
          "kind": "lookup",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "nextCursor": {
                "type": "string",
              },
              "options": {
                "items": {
                  "additionalProperties": false,
                  "properties": {
                    "hint": {
                      "type": "string",
                    },
                    "label": {
                      "type": "string",
                    },
                    "value": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "value",
                    "label",
                  ],
                  "type": "object",
                },
                "type": "array",
              },
            },
            "required": [
              "options",
            ],
            "type": "object",
          },
          "providerId": "salesforce",
          "scopes": [
            "api",
          ],
          "title": "List objects",
          "version": 1,
        },
      ]
    `);
  });
});
