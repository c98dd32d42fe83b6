import { describe, expect, it } from "vitest";

// These modules build things when they load (the validated catalog, zod schemas for the
// environment). The imports are inside the tests on purpose: a change that makes one of
// them throw while loading then fails a test here, instead of only failing to load every
// test file that imports it (which a mutation test run counts as no test failing).
describe("modules that do work at load time", () => {
  it("the provider catalog loads, validated, with an entry for every id", async () => {
    const { catalog, providerIds, getProvider } = await import("./providers/catalog");
    expect(catalog.length).toBeGreaterThan(0);
    expect(providerIds).toEqual(catalog.map((provider) => provider.id));
    for (const id of providerIds) expect(getProvider(id)?.id).toBe(id);
  });

  it("the environment schema loads", async () => {
    const env = await import("./env");
    expect(Object.keys(env).length).toBeGreaterThan(0);
  });
});
