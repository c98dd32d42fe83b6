/**
 * Salesforce's REST API as the actions use it, under the instance URL (`<simulator>/salesforce`)
 * + `/services/data/vXX.X`: describe global (`GET /sobjects`), create (`POST /sobjects/{object}`,
 * 201 `{ id, success, errors }`), update (`PATCH /sobjects/{object}/{id}`, 204) and a small
 * SOQL subset (`GET /query?q=SELECT f, … FROM Object [WHERE Field = 'v'] [LIMIT n]`).
 * Errors come as Salesforce's array `[{ message, errorCode, fields? }]`
 * (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm):
 * REQUIRED_FIELD_MISSING with `fields`, INVALID_FIELD "No such column …", JSON_PARSER_ERROR,
 * MALFORMED_QUERY, INVALID_TYPE for an unknown object in a query, NOT_FOUND (404) for an
 * unknown version, object or record. A token without the `api` scope is refused as Salesforce
 * does for REST calls, INVALID_SESSION_ID "This session is not valid for use with the REST
 * API" (401 (?)). Record IDs are the object's key prefix and 15 characters, plus Salesforce's
 * 3-character case suffix; a 15-character ID finds the record too. Query results come in one
 * batch (no `nextRecordsUrl`: the simulated org is small).
 */
import { empty, json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type SObject = { name: string; label: string; keyPrefix: string; createable: boolean; custom: boolean; fields: string[]; required: string[] };
type SRecord = { id: string; object: string; values: Record<string, unknown> };

const STANDARD: SObject[] = [
  { name: "Account", label: "Account", keyPrefix: "001", createable: true, custom: false, fields: ["Name", "Industry", "Phone", "Website", "BillingCity", "NumberOfEmployees", "Description"], required: ["Name"] },
  { name: "Contact", label: "Contact", keyPrefix: "003", createable: true, custom: false, fields: ["FirstName", "LastName", "Email", "Phone", "AccountId"], required: ["LastName"] },
  { name: "Lead", label: "Lead", keyPrefix: "00Q", createable: true, custom: false, fields: ["FirstName", "LastName", "Company", "Email", "Status"], required: ["LastName", "Company"] },
  { name: "Opportunity", label: "Opportunity", keyPrefix: "006", createable: true, custom: false, fields: ["Name", "StageName", "CloseDate", "Amount", "AccountId"], required: ["Name", "StageName", "CloseDate"] },
  { name: "AccountHistory", label: "Account History", keyPrefix: "017", createable: false, custom: false, fields: ["AccountId", "Field"], required: [] },
  { name: "Case", label: "Case", keyPrefix: "500", createable: true, custom: false, fields: ["Subject", "Description", "Status", "Priority", "ContactId"], required: [] },
];

/** 6 standard objects (5 createable) and 240 custom ones, 20 of them read-only: two lookup pages of 200. */
function sobjects(): SObject[] {
  const list = [...STANDARD];
  for (let i = 1; i <= 240; i += 1) {
    const n = String(i).padStart(3, "0");
    list.push({
      name: `Custom${n}__c`,
      label: `Custom ${n}`,
      keyPrefix: `a${n.slice(1)}`,
      createable: i % 12 !== 0,
      custom: true,
      fields: ["Name", "Description__c", "Amount__c"],
      required: [],
    });
  }
  return list;
}

type SfError = { message: string; errorCode: string; fields?: string[] };
const fail = (status: number, ...errors: SfError[]) => json(status, errors);
const NOT_FOUND: SfError = { errorCode: "NOT_FOUND", message: "The requested resource does not exist" };

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/** Salesforce's 18-character form: three characters encoding which of the 15 are upper case. */
function caseSuffix(id15: string): string {
  let suffix = "";
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const char = id15[block * 5 + i]!;
      if (char >= "A" && char <= "Z") bits |= 1 << i;
    }
    suffix += ID_CHARS[bits];
  }
  return suffix;
}

function newId(world: Record<string, unknown>, object: SObject): string {
  const counter = worldOf(world, "idCounter", () => ({ n: 0 }));
  counter.n += 1;
  const id15 = `${object.keyPrefix}SIM${String(counter.n).padStart(9, "0")}`;
  return `${id15}${caseSuffix(id15)}`;
}

/** The record a 15- or 18-character ID names (15: case-sensitive; 18: case-insensitive). */
function findRecord(records: SRecord[], object: string, id: string): SRecord | undefined {
  const matches = (record: SRecord) =>
    id.length === 15 ? record.id.slice(0, 15) === id : id.length === 18 && record.id.toLowerCase() === id.toLowerCase();
  return records.find((record) => record.object === object && matches(record));
}

function bodyObject(call: ApiCall): { values: Record<string, unknown> } | { refused: SimResponse } {
  const { req } = call;
  if (req.bodyFormat !== "json" || typeof req.json !== "object" || req.json === null || Array.isArray(req.json)) {
    return { refused: fail(400, { message: "The request body is not a JSON object.", errorCode: "JSON_PARSER_ERROR" }) };
  }
  return { values: req.json as Record<string, unknown> };
}

/** INVALID_FIELD for the first field the object does not have, or for an Id in the body. */
function fieldProblem(object: SObject, body: Record<string, unknown>): SimResponse | null {
  for (const name of Object.keys(body)) {
    if (name === "Id") return fail(400, { message: "The Id field should not be specified in the sobject data.", errorCode: "INVALID_FIELD" });
    if (!object.fields.includes(name)) {
      return fail(400, { message: `No such column '${name}' on sobject of type ${object.name}`, errorCode: "INVALID_FIELD" });
    }
  }
  return null;
}

const isBlank = (value: unknown) => value === undefined || value === null || value === "";

function create(call: ApiCall, object: SObject): SimResponse {
  if (!object.createable) return fail(400, { message: `entity type ${object.name} does not support create`, errorCode: "INVALID_TYPE" });
  const body = bodyObject(call);
  if ("refused" in body) return body.refused;
  const { values } = body;
  const problem = fieldProblem(object, values);
  if (problem) return problem;
  const missing = object.required.filter((name) => isBlank(values[name]));
  if (missing.length > 0) {
    return fail(400, { message: `Required fields are missing: [${missing.join(", ")}]`, errorCode: "REQUIRED_FIELD_MISSING", fields: missing });
  }
  const records = worldOf<SRecord[]>(call.world, "records", () => []);
  const id = newId(call.world, object);
  records.push({ id, object: object.name, values: { ...values } });
  return json(201, { id, success: true, errors: [] });
}

function update(call: ApiCall, object: SObject, id: string): SimResponse {
  const records = worldOf<SRecord[]>(call.world, "records", () => []);
  if (!/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id)) {
    return fail(404, { errorCode: "NOT_FOUND", message: `Provided external ID field does not exist or is not accessible: ${id}` });
  }
  const record = findRecord(records, object.name, id);
  if (!record) return fail(404, NOT_FOUND);
  const body = bodyObject(call);
  if ("refused" in body) return body.refused;
  const { values } = body;
  const problem = fieldProblem(object, values);
  if (problem) return problem;
  const cleared = object.required.filter((name) => name in values && isBlank(values[name]));
  if (cleared.length > 0) {
    return fail(400, { message: `Required fields are missing: [${cleared.join(", ")}]`, errorCode: "REQUIRED_FIELD_MISSING", fields: cleared });
  }
  Object.assign(record.values, values);
  return empty(204);
}

const SOQL = /^SELECT\s+(.+?)\s+FROM\s+([A-Za-z][A-Za-z0-9_]*)(?:\s+WHERE\s+([A-Za-z][A-Za-z0-9_]*)\s*=\s*'([^']*)')?(?:\s+LIMIT\s+(\d+))?$/i;

function query(call: ApiCall, objects: SObject[], version: string): SimResponse {
  const q = call.req.query.get("q");
  if (q === null || q.trim() === "") return fail(400, { message: "A query string has to be specified", errorCode: "MALFORMED_QUERY" });
  const parsed = SOQL.exec(q.trim());
  if (!parsed) return fail(400, { message: `\n${q}\n^\nERROR at Row:1:Column:1\nunexpected token: '${q.trim().split(/\s+/)[0]}'`, errorCode: "MALFORMED_QUERY" });
  const [, selectList, objectName, whereField, whereValue, limit] = parsed;
  const object = objects.find((o) => o.name.toLowerCase() === objectName!.toLowerCase());
  if (!object) return fail(400, { message: `\n${q}\n^\nERROR at Row:1:Column:1\nsObject type '${objectName}' is not supported.`, errorCode: "INVALID_TYPE" });
  const columns = selectList!.split(",").map((column) => column.trim());
  const known = (name: string) => name === "Id" || object.fields.includes(name);
  const unknown = [...columns, ...(whereField ? [whereField] : [])].find((name) => !known(name));
  if (unknown) {
    return fail(400, { message: `\n${q}\n^\nERROR at Row:1:Column:1\nNo such column '${unknown}' on entity '${object.name}'.`, errorCode: "INVALID_FIELD" });
  }
  const records = worldOf<SRecord[]>(call.world, "records", () => [])
    .filter((record) => record.object === object.name)
    .filter((record) => whereField === undefined || (whereField === "Id" ? record.id : record.values[whereField]) === whereValue)
    .slice(0, limit === undefined ? undefined : Number(limit));
  return json(200, {
    totalSize: records.length,
    done: true,
    records: records.map((record) => ({
      attributes: { type: object.name, url: `/services/data/${version}/sobjects/${object.name}/${record.id}` },
      ...Object.fromEntries(columns.map((name) => [name, name === "Id" ? record.id : (record.values[name] ?? null)])),
    })),
  });
}

function describeGlobal(objects: SObject[], version: string): SimResponse {
  return json(200, {
    encoding: "UTF-8",
    maxBatchSize: 200,
    sobjects: objects.map((o) => ({
      activateable: false,
      createable: o.createable,
      custom: o.custom,
      customSetting: false,
      deletable: o.createable,
      keyPrefix: o.keyPrefix,
      label: o.label,
      labelPlural: `${o.label}s`,
      layoutable: true,
      name: o.name,
      queryable: true,
      retrieveable: true,
      searchable: true,
      updateable: o.createable,
      urls: { sobject: `/services/data/${version}/sobjects/${o.name}`, describe: `/services/data/${version}/sobjects/${o.name}/describe` },
    })),
  });
}

export function salesforceApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  const data = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(apiPath);
  if (!data) return null;
  const [, version, rest = ""] = data;
  if (!/^v\d{2}\.0$/.test(version!)) return fail(404, NOT_FOUND);
  if (!call.scopes.includes("api") && !call.scopes.includes("full")) {
    return fail(401, { message: "This session is not valid for use with the REST API", errorCode: "INVALID_SESSION_ID" });
  }
  const objects = worldOf(call.world, "sobjects", sobjects);
  if (rest === "/sobjects" || rest === "/sobjects/") return req.method === "GET" ? describeGlobal(objects, version!) : null;
  if (rest === "/query" || rest === "/query/") return req.method === "GET" ? query(call, objects, version!) : null;
  const record = /^\/sobjects\/([^/]+)(?:\/([^/]+))?$/.exec(rest);
  if (!record) return null;
  const object = objects.find((o) => o.name === decodeURIComponent(record[1]!));
  if (!object) return fail(404, NOT_FOUND);
  if (record[2] === undefined) return req.method === "POST" ? create(call, object) : null;
  return req.method === "PATCH" ? update(call, object, decodeURIComponent(record[2])) : null;
}
