/** Salesforce's actions through the step contract, against the simulator's REST API under the instance URL. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const DATA = "/services/data/v60.0";

describe("salesforce actions", () => {
  test("create, update, then query a record, each as one REST call under the instance URL", async () => {
    const w = await setup(simulatorUrl, "salesforce");
    const created = await w.runAction("salesforce.create_record", { object: "Account", fields: { Name: "Acme", Industry: "Energy" } });
    expect(created).toEqual({ ok: true, output: { id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true }, correlationId: expect.any(String) });
    if (!created.ok) throw new Error(created.error.message);
    const id18 = created.output.id as string;

    const updated = await w.runAction("salesforce.update_record", { object: "Account", recordId: id18.slice(0, 15), fields: { Industry: "Manufacturing" } });
    expect(updated).toMatchObject({ ok: true, output: { updated: true } });

    const q = "SELECT Id, Name, Industry FROM Account WHERE Name = 'Acme'";
    const found = await w.runAction("salesforce.query", { q });
    expect(found).toEqual({
      ok: true,
      output: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: "Account", url: `${DATA}/sobjects/Account/${id18}` }, Id: id18, Name: "Acme", Industry: "Manufacturing" }],
      },
      correlationId: expect.any(String),
    });

    const calls = await w.simulator.apiCalls({ providerId: "salesforce" });
    expect(calls.map(({ method, apiPath, query, body }) => ({ method, apiPath, query, body }))).toEqual([
      { method: "POST", apiPath: `${DATA}/sobjects/Account`, query: {}, body: { Name: "Acme", Industry: "Energy" } },
      { method: "PATCH", apiPath: `${DATA}/sobjects/Account/${id18.slice(0, 15)}`, query: {}, body: { Industry: "Manufacturing" } },
      { method: "GET", apiPath: `${DATA}/query`, query: { q }, body: null },
    ]);
    expect(calls[0]!.headers["content-type"]).toBe("application/json");
    expect(calls.every((call) => call.headers.authorization === undefined)).toBe(true);
    const logs = await w.logs();
    expect(logs.map((log) => log.status)).toEqual([201, 204, 200]);
  });

  test("Salesforce's error arrays become invalid input on the field at fault", async () => {
    const w = await setup(simulatorUrl, "salesforce");
    const missing = await w.runAction("salesforce.create_record", { object: "Lead", fields: { FirstName: "Ada" } });
    expect(missing).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Salesforce refused the input: Required fields are missing: [LastName, Company]",
        retryable: false,
        fields: { "fields.LastName": "Required fields are missing: [LastName, Company]", "fields.Company": "Required fields are missing: [LastName, Company]" },
        providerCode: "REQUIRED_FIELD_MISSING",
        status: 400,
      },
      correlationId: expect.any(String),
    });
    const unknownField = await w.runAction("salesforce.create_record", { object: "Account", fields: { Name: "Acme", Colour__c: "red" } });
    expect(unknownField).toMatchObject({
      ok: false,
      error: { providerCode: "INVALID_FIELD", fields: { "fields.Colour__c": "No such column 'Colour__c' on sobject of type Account" } },
    });
    const noObject = await w.runAction("salesforce.create_record", { object: "Nope__c", fields: { Name: "x" } });
    expect(noObject).toMatchObject({ ok: false, error: { code: "invalid_input", providerCode: "NOT_FOUND", status: 404, fields: { object: expect.any(String) } } });
    const noRecord = await w.runAction("salesforce.update_record", { object: "Account", recordId: "001SIM999999999", fields: { Name: "x" } });
    expect(noRecord).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { recordId: expect.any(String) } } });

    const badQuery = await w.runAction("salesforce.query", { q: "SELECT Id FORM Account" });
    expect(badQuery).toMatchObject({ ok: false, error: { code: "invalid_input", providerCode: "MALFORMED_QUERY", fields: { q: expect.stringMatching(/unexpected token/) } } });
    const badColumn = await w.runAction("salesforce.query", { q: "SELECT Nme FROM Account" });
    expect(badColumn).toMatchObject({ ok: false, error: { providerCode: "INVALID_FIELD", fields: { q: expect.stringMatching(/No such column 'Nme'/) } } });
  });

  test("the object lookup pages Salesforce's one describe answer 200 createable objects at a time", async () => {
    const w = await setup(simulatorUrl, "salesforce");
    const first = await w.runAction("salesforce.list_objects", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(200);
    expect(first.output.options.slice(0, 6)).toEqual([
      { value: "Account", label: "Account" },
      { value: "Contact", label: "Contact" },
      { value: "Lead", label: "Lead" },
      { value: "Opportunity", label: "Opportunity" },
      { value: "Case", label: "Case" },
      { value: "Custom001__c", label: "Custom 001", hint: "Custom001__c" },
    ]);
    expect(first.output.nextCursor).toBe("200");
    const second = await w.runAction("salesforce.list_objects", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    // 5 standard and 220 custom objects are createable: 25 on the second page.
    expect(second.output.options).toHaveLength(25);
    expect(second.output.options.at(-1)).toEqual({ value: "Custom239__c", label: "Custom 239", hint: "Custom239__c" });
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "salesforce" });
    expect(calls.map(({ method, apiPath, query }) => ({ method, apiPath, query }))).toEqual([
      { method: "GET", apiPath: `${DATA}/sobjects`, query: {} },
      { method: "GET", apiPath: `${DATA}/sobjects`, query: {} },
    ]);
  });
});
