import { describe, expect, test } from "vitest";
import { getProvider } from "../providers";
import { inboundProvider, INBOUND_PROVIDERS, parseInboundPath } from "./providers";
import { INBOUND_SCHEME_IDS } from "./schemes";

const ID = "ie_" + "aB3-_".repeat(4) + "xy";

describe("the inbound provider table", () => {
  test("names only catalog providers and known schemes, and says how each one's webhooks arrive", () => {
    for (const [id, entry] of Object.entries(INBOUND_PROVIDERS)) {
      expect(getProvider(id), id).not.toBeNull();
      expect(INBOUND_SCHEME_IDS).toContain(entry.scheme);
      expect(entry.app !== undefined || entry.pasted !== undefined || entry.registered === true, id).toBe(true);
      if (entry.pasted) expect(entry.pasted.steps.length, id).toBeGreaterThan(0);
      if (entry.app) expect(entry.app.secretEnv).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });

  test("a provider that sends none, or an inherited name, has no entry", () => {
    expect(inboundProvider("wordpress")).toBeNull();
    expect(inboundProvider("toString")).toBeNull();
    expect(inboundProvider("slack")?.scheme).toBe("slack");
    expect(inboundProvider("microsoft")?.scheme).toBe("microsoft_graph");
  });
});

describe("parseInboundPath", () => {
  test.each([
    ["/webhooks/slack", { providerId: "slack", endpointId: null }],
    ["/webhooks/slack/", { providerId: "slack", endpointId: null }],
    [`/webhooks/github/${ID}`, { providerId: "github", endpointId: ID }],
    [`/webhooks/google-calendar/${ID}/`, { providerId: "google-calendar", endpointId: ID }],
  ])("%s", (path, expected) => expect(parseInboundPath(path)).toEqual(expected));

  test.each([
    "/webhooks/",
    "/webhooks/wordpress",
    "/webhooks/nope",
    "/webhooks/Slack",
    `/webhooks/github/${ID}x`,
    `/webhooks/github/${ID.slice(0, -1)}`,
    `/webhooks/github/ep_${ID.slice(3)}`,
    `/webhooks/github/${ID}/extra`,
    "/webhooks/github//",
    `/v1/webhooks/github/${ID}`,
    `/webhooks/github/${ID}?x=1`,
  ])("%s is not an inbound path", (path) => expect(parseInboundPath(path)).toBeNull());
});
