/**
 * Every action in the catalog, checked as data: ids, providers, scopes the provider
 * knows, schemas that convert to JSON Schema, and lookups that exist and fit.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { getProvider, knownScopes } from "../providers";
import { actionCatalog, actionSpec, actionsOfProvider, getAction } from "./catalog";
import { pathSegment } from "./define";
import { scopeNames } from "./scopes";

describe("the action catalog", () => {
  test("ids are unique, `<providerId>.<snake_case>`, and the provider exists", () => {
    const ids = actionCatalog.map((action) => action.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const action of actionCatalog) {
      expect(action.id).toMatch(new RegExp(`^${action.providerId}\\.[a-z][a-z0-9_]*$`));
      expect(getProvider(action.providerId), action.id).toBeDefined();
      expect(action.version).toBeGreaterThanOrEqual(1);
      expect(action.title.length).toBeGreaterThan(3);
      expect(action.description.length).toBeGreaterThan(10);
    }
  });

  test("every scope an action needs is one its provider can grant", () => {
    for (const action of actionCatalog) {
      const provider = getProvider(action.providerId)!;
      if (provider.authKind !== "oauth2") {
        expect(scopeNames(action.scopes), action.id).toEqual([]);
        continue;
      }
      for (const scope of scopeNames(action.scopes)) expect(knownScopes(provider), action.id).toContain(scope);
    }
  });

  test("lookups are read-only, take a cursor, and answer a page; a field's lookup exists and its params are fields", () => {
    for (const action of actionCatalog) {
      if (action.kind === "lookup") {
        expect(action.effect, action.id).toBe("read");
        expect(Object.keys((action.input as z.ZodObject).shape), action.id).toContain("cursor");
      }
      const schema = actionSpec(action).inputSchema as { properties?: Record<string, { lookup?: { action: string; params?: Record<string, string> } }> };
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        if (!property.lookup) continue;
        const lookup = getAction(property.lookup.action);
        expect(lookup?.kind, `${action.id}.${field} → ${property.lookup.action}`).toBe("lookup");
        expect(lookup?.providerId).toBe(action.providerId);
        for (const [param, from] of Object.entries(property.lookup.params ?? {})) {
          expect(Object.keys(schema.properties!), `${action.id}.${field} param ${param}`).toContain(from);
        }
      }
    }
  });

  test("specs carry JSON Schema (draft 2020-12) for input and output, computed once", () => {
    for (const action of actionCatalog) {
      const spec = actionSpec(action);
      expect(spec.inputSchema.$schema, action.id).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(spec.inputSchema.type).toBe("object");
      expect(spec.outputSchema.type).toBe("object");
      expect(actionSpec(action)).toBe(spec);
      expect(spec).toMatchObject({ id: action.id, providerId: action.providerId, kind: action.kind, effect: action.effect, scopes: action.scopes });
    }
    const post = actionSpec(getAction("slack.post_message")!);
    expect(post.inputSchema).toMatchObject({
      required: ["channel", "text"],
      properties: { channel: { title: "Channel", lookup: { action: "slack.list_channels" } } },
    });
  });

  test("every action a provider file defines is in the catalog, under its own id", () => {
    const files = import.meta.glob<Record<string, unknown>>(["./providers/*.ts", "!./providers/*.test.ts"], { eager: true });
    const defined = Object.values(files).flatMap((module) =>
      Object.values(module).filter((value): value is (typeof actionCatalog)[number] => typeof value === "object" && value !== null && "id" in value && "request" in value && "response" in value),
    );
    expect(defined.length).toBeGreaterThanOrEqual(actionCatalog.length);
    for (const action of defined) expect(getAction(action.id), action.id).toBe(action);
  });

  test("actions are found by id and by provider", () => {
    expect(getAction("slack.post_message")?.providerId).toBe("slack");
    expect(getAction("nope")).toBeUndefined();
    expect(actionsOfProvider("slack").map((a) => a.id)).toContain("slack.add_reaction");
    expect(actionsOfProvider("nope")).toEqual([]);
  });
});

describe("pathSegment", () => {
  test("escapes what would move the request, refuses dot segments", () => {
    expect(pathSegment("a/b?c#d")).toBe("a%2Fb%3Fc%23d");
    expect(pathSegment(42)).toBe("42");
    expect(pathSegment("C0 1")).toBe("C0%201");
    for (const bad of ["", ".", ".."]) expect(() => pathSegment(bad)).toThrow(`"${bad}" cannot be a path segment.`);
    expect(pathSegment("...")).toBe("...");
  });
});
