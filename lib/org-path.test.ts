import { describe, expect, it } from "vitest";
import { movedOrgPath } from "./org-path";

describe("movedOrgPath", () => {
  const at = (pathname: string, search = "", hash = "") => ({ pathname, search, hash });

  it("keeps the sub-path, the query and the fragment", () => {
    expect(movedOrgPath(at("/o/acme/settings/integrations/github", "?connected=github", "#calls"), "acme-labs")).toBe(
      "/o/acme-labs/settings/integrations/github?connected=github#calls",
    );
  });

  it("moves the organization's home", () => {
    expect(movedOrgPath(at("/o/acme"), "acme-labs")).toBe("/o/acme-labs");
    expect(movedOrgPath(at("/o/acme/"), "acme-labs")).toBe("/o/acme-labs/");
  });

  it("leaves a path outside /o/ to the organization's home", () => {
    expect(movedOrgPath(at("/orgs/x/y", "?q=1"), "acme")).toBe("/o/acme?q=1");
  });

  it("encodes the slug", () => {
    expect(movedOrgPath(at("/o/old/settings"), "a b")).toBe("/o/a%20b/settings");
  });
});
