import { describe, expect, it } from "vitest";
import { getProviderOrThrow } from "./catalog";
import { readAccount, readPath } from "./account";

describe("readPath", () => {
  it("reads nested objects and array indexes", () => {
    expect(readPath({ data: { gid: "12" } }, "data.gid")).toBe("12");
    expect(readPath([{ id: "cloud-1" }], "0.id")).toBe("cloud-1");
  });

  it("is undefined for missing steps, non-numeric array keys and inherited properties", () => {
    expect(readPath({ a: 1 }, "a.b")).toBeUndefined();
    expect(readPath([{ id: 1 }], "first.id")).toBeUndefined();
    expect(readPath({}, "constructor")).toBeUndefined();
    expect(readPath(null, "a")).toBeUndefined();
  });
});

describe("readAccount", () => {
  it("reads GitHub's numeric id and login", () => {
    expect(readAccount(getProviderOrThrow("github") as never, { id: 42, login: "octo" })).toEqual({
      ok: true,
      accountId: "42",
      accountName: "octo",
    });
  });

  it("checks Slack's ok flag and reports its error", () => {
    const slack = getProviderOrThrow("slack") as never;
    expect(readAccount(slack, { ok: false, error: "invalid_auth" })).toEqual({
      ok: false,
      reason: "provider_error",
      detail: "invalid_auth",
    });
    expect(readAccount(slack, { ok: true, team_id: "T1", team: "Acme" })).toMatchObject({ ok: true, accountId: "T1" });
  });

  it("reports a missing account id", () => {
    expect(readAccount(getProviderOrThrow("asana") as never, { data: {} })).toMatchObject({
      ok: false,
      reason: "missing_account_id",
    });
  });

  it("returns a null name when the name path is absent", () => {
    expect(readAccount(getProviderOrThrow("jira") as never, [{ id: "c1" }])).toEqual({
      ok: true,
      accountId: "c1",
      accountName: null,
    });
  });
});

describe("readPath, only JSON's own structure", () => {
  it("never reads a string's or an array's built-in properties", () => {
    expect(readPath("abc", "length")).toBeUndefined();
    expect(readPath({ a: "xyz" }, "a.0")).toBeUndefined();
    expect(readPath([1, 2], "length")).toBeUndefined();
  });

  it("reads array positions written as plain digits only", () => {
    const list = Array.from({ length: 12 }, (_, i) => `item${i}`);
    expect(readPath(list, "10")).toBe("item10");
    for (const key of ["1e0", "+1", "0x1", " 1"]) expect(readPath(list, key)).toBeUndefined();
  });
});

describe("readAccount, what counts as an account id", () => {
  const github = () => getProviderOrThrow("github") as never;

  it("an empty string or a non-finite number is no id, and the detail names the path", () => {
    expect(readAccount(github(), { id: "", login: "octo" })).toEqual({ ok: false, reason: "missing_account_id", detail: 'no value at "id"' });
    expect(readAccount(github(), JSON.parse('{"id": 1e400}'))).toMatchObject({ ok: false, reason: "missing_account_id" });
  });

  it("Slack's ok:false without an error code reads as unknown_error", () => {
    expect(readAccount(getProviderOrThrow("slack") as never, { ok: false })).toEqual({ ok: false, reason: "provider_error", detail: "unknown_error" });
  });
});
