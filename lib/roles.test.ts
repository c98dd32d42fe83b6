import { describe, expect, test } from "vitest";
import { assignableRoles, hasRole, memberRowActions, roleWithArticle } from "./roles";

describe("hasRole", () => {
  test("owner ≥ admin ≥ member", () => {
    expect(hasRole("owner", "admin")).toBe(true);
    expect(hasRole("admin", "admin")).toBe(true);
    expect(hasRole("member", "admin")).toBe(false);
    expect(hasRole("admin", "owner")).toBe(false);
  });
});

describe("assignableRoles", () => {
  test("only owners hand out the owner role; members hand out nothing", () => {
    expect(assignableRoles("owner")).toEqual(["owner", "admin", "member"]);
    expect(assignableRoles("admin")).toEqual(["admin", "member"]);
    expect(assignableRoles("member")).toEqual([]);
  });
});

describe("memberRowActions", () => {
  test("members get no actions on anyone", () => {
    expect(memberRowActions("member", { role: "member", isViewer: false })).toEqual({ changeRole: [], remove: false });
  });

  test("admins manage members and admins, not owners", () => {
    expect(memberRowActions("admin", { role: "member", isViewer: false }).remove).toBe(true);
    expect(memberRowActions("admin", { role: "admin", isViewer: false }).changeRole).toEqual(["admin", "member"]);
    expect(memberRowActions("admin", { role: "owner", isViewer: false })).toEqual({ changeRole: [], remove: false });
  });

  test("owners manage owners; nobody manages their own row here (they leave instead)", () => {
    expect(memberRowActions("owner", { role: "owner", isViewer: false }).remove).toBe(true);
    expect(memberRowActions("owner", { role: "owner", isViewer: true })).toEqual({ changeRole: [], remove: false });
  });
});

describe("roleWithArticle", () => {
  test("an owner, an admin, a member", () => {
    expect(["owner", "admin", "member"].map((r) => roleWithArticle(r as "owner"))).toEqual(["an owner", "an admin", "a member"]);
  });
});
