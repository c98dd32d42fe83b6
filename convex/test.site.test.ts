/**
 * serveConvexSite over real HTTP: requests reach the deployment's HTTP actions as they were
 * sent (method, path and query, headers, body bytes) and answers come back as the actions
 * gave them; the provider simulator, in another process, delivers to it.
 */
import { afterEach, describe, expect, inject, test } from "vitest";
import { connectSimulator } from "../tools/provider-simulator/control-client";
import { makeKey } from "./publicApi/test.api";
import { createOrg, createUser, setupBackend } from "./test.helpers";
import { serveConvexSite, type ConvexSite } from "./test.site";

const simulatorUrl = inject("simulatorUrl");

let site: ConvexSite | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
});

describe("serveConvexSite", () => {
  test("GET and HEAD reach a GET route; the answer's status, headers and body come back", async () => {
    site = await serveConvexSite(await setupBackend());
    const response = await fetch(`${site.url}/.well-known/openid-configuration?probe=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/json/);
    expect(await response.json()).toMatchObject({ issuer: expect.any(String), jwks_uri: expect.any(String) });
    const head = await fetch(`${site.url}/.well-known/openid-configuration`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${site.url}/nowhere`)).status).toBe(404);
  });

  test("headers and the raw body reach the action", async () => {
    const t = await setupBackend();
    site = await serveConvexSite(t);
    // No Authorization, then a malformed one: two different refusals, so the header arrived.
    const without = await fetch(`${site.url}/v1/connections`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as { code?: string }).code).toBe("unauthenticated");
    const malformed = await fetch(`${site.url}/v1/connections`, { headers: { Authorization: "Bearer not-a-key" } });
    expect(((await malformed.json()) as { code?: string }).code).toBe("malformed_key");

    const admin = await createUser(t, "admin@example.com");
    const orgId = await createOrg(t, "Acme", [{ user: admin, role: "owner" }]);
    const { key } = await makeKey(admin, orgId, { scopes: ["webhooks:read", "webhooks:write"] });
    const post = (body: string) =>
      fetch(`${site!.url}/v1/webhook-endpoints`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body });
    // Cut JSON is refused as such; whole JSON gets as far as the field checks: the bytes arrived intact.
    const broken = await post('{"url": ');
    expect([broken.status, ((await broken.json()) as { detail?: string }).detail]).toEqual([400, "The body is not valid JSON."]);
    const whole = await post('{"url": 5, "description": "h\u00e9"}');
    expect(whole.status).toBe(400);
    expect(((await whole.json()) as { detail?: string }).detail).not.toBe("The body is not valid JSON.");
    const listed = await fetch(`${site.url}/v1/webhook-endpoints?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
    expect(listed.status).toBe(200);
  });

  test("the provider simulator's webhooks arrive over it", async () => {
    site = await serveConvexSite(await setupBackend());
    const simulator = connectSimulator(simulatorUrl);
    await simulator.reset();
    const answer = await simulator.sendWebhook({ providerId: "github", url: `${site.url}/v1/webhook-endpoints`, secret: "s3cret", event: "ping" });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "unauthenticated" });
    expect(await simulator.sentWebhooks({ providerId: "github" })).toEqual([expect.objectContaining({ deliveryId: answer.deliveryId, status: 401 })]);
  });
});
