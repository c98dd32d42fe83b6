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
