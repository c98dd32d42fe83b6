import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { createOrg, createUser, errorOf, simulatedOrg } from "../test.helpers";

const simulatorUrl = inject("simulatorUrl");

async function world() {
  const { t, simulator, admin, member, orgId } = await simulatedOrg(simulatorUrl);
  const connect = (providerId: string, values: Record<string, string>, as = admin) =>
    as.as.action(api.integrations.credentials.connect, { orgId, providerId, values });
  const rows = () => t.run((ctx) => ctx.db.query("connections").collect());
  return { t, simulator, admin, member, orgId, connect, rows };
}

describe("credentials.connect: WordPress", () => {
  test("the right application password connects; the secret is stored encrypted", async () => {
    const w = await world();
    await w.simulator.addWordPressUser("editor", "abcd efgh ijkl mnop");
    const siteUrl = await w.simulator.siteUrl("wordpress");
    const { accountName } = await w.connect("wordpress", {
      siteUrl,
      username: "editor",
      applicationPassword: "abcd efgh ijkl mnop",
    });
    expect(accountName).toBeTruthy();
    const [row] = await w.rows();
    expect(row).toMatchObject({ providerId: "wordpress", status: "connected" });
    expect(row!.config).toMatchObject({ username: "editor", siteUrl });
    expect(row!.secrets.applicationPassword).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain("abcdefghijklmnop");
  });

  test("a wrong password is CREDENTIALS_REJECTED and nothing is stored", async () => {
    const w = await world();
    await w.simulator.addWordPressUser("editor", "abcd efgh ijkl mnop");
    const error = await errorOf(
      w.connect("wordpress", {
        siteUrl: await w.simulator.siteUrl("wordpress"),
        username: "editor",
        applicationPassword: "wrong wrong wrong",
      }),
    );
    expect(error.code).toBe("CREDENTIALS_REJECTED");
    expect(await w.rows()).toEqual([]);
    // The attempt is in the activity, without the password.
    const audit = await w.t.run((ctx) => ctx.db.query("auditEvents").collect());
    const failed = audit.find((e) => e.action === "integration.connect_failed")!;
    expect(failed).toMatchObject({ providerId: "wordpress", details: { code: "credentials_rejected" } });
    expect(JSON.stringify(audit)).not.toContain("wrong wrong");
  });

  test.each([
    [{ siteUrl: "http://blog.example.com", username: "a", applicationPassword: "b" }, "siteUrl", /HTTPS/],
    [{ siteUrl: "https://10.0.0.5", username: "a", applicationPassword: "b" }, "siteUrl", /private network/],
    [{ siteUrl: "https://blog.example.com", username: "", applicationPassword: "b" }, "username", /required/],
  ])("bad input %j is INVALID_INPUT on field %s", async (values, field, message) => {
    const w = await world();
    const error = (await errorOf(w.connect("wordpress", values))) as { code: string; message: string; field?: string };
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(error.message).toMatch(message);
    expect(await w.rows()).toEqual([]);
    expect(await w.simulator.requestCount({ providerId: "wordpress" })).toBe(0);
  });
});

describe("credentials.connect: Trello, Pumble and custom webhooks", () => {
  test("Trello connects with an API key and token the simulator accepts", async () => {
    const w = await world();
    const [accepted] = await w.simulator.apiKeyCredentials("trello");
    await w.connect("trello", accepted!);
    expect((await w.rows())[0]).toMatchObject({ providerId: "trello", status: "connected" });
    const error = await errorOf(w.connect("trello", { apiKey: "nope", token: "nope" }));
    expect(error.code).toBe("CREDENTIALS_REJECTED");
  });

  test("Pumble connects by delivering a test message to its webhook URL", async () => {
    const w = await world();
    const webhookUrl = await w.simulator.webhookUrl("pumble");
    await w.connect("pumble", { webhookUrl });
    expect(await w.simulator.webhookDeliveries({ providerId: "pumble" })).toHaveLength(1);
    const error = await errorOf(w.connect("pumble", { webhookUrl: "https://example.com/not-pumble" }));
    expect(error).toMatchObject({ code: "INVALID_INPUT" });
  });

  test("a custom webhook with a bearer token sends it on the test delivery", async () => {
    const w = await world();
    const url = await w.simulator.webhookUrl("custom-webhook");
    await w.connect("custom-webhook", { url, method: "PUT", authMode: "bearer", bearerToken: "hook-secret-123" });
    const [delivery] = await w.simulator.webhookDeliveries({ providerId: "custom-webhook" });
    expect(delivery).toMatchObject({ method: "PUT" });
    expect(delivery!.headers.authorization).toBe("Bearer hook-secret-123");
    const [row] = await w.rows();
    expect(JSON.stringify(row)).not.toContain("hook-secret-123");
  });

  test("members and other orgs' admins cannot connect", async () => {
    const w = await world();
    const outsider = await createUser(w.t, "outsider@example.com");
    await createOrg(w.t, "Other", [{ user: outsider, role: "admin" }]);
    const url = await w.simulator.webhookUrl("custom-webhook");
    const values = { url, method: "POST", authMode: "none" };
    expect((await errorOf(w.connect("custom-webhook", values, w.member))).code).toBe("FORBIDDEN");
    expect((await errorOf(w.connect("custom-webhook", values, outsider))).code).toBe("FORBIDDEN");
    expect(await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).toEqual([]);
  });

  test("OAuth providers cannot be connected with a form", async () => {
    const w = await world();
    expect((await errorOf(w.connect("github", { token: "x" }))).code).toBe("INVALID_INPUT");
  });
});

describe("connections.test", () => {
  test("a revoked credential turns the connection to error/unauthorized and is audited", async () => {
    const w = await world();
    await w.simulator.addWordPressUser("editor", "pass word pass word");
    await w.connect("wordpress", {
      siteUrl: await w.simulator.siteUrl("wordpress"),
      username: "editor",
      applicationPassword: "pass word pass word",
    });
    await w.simulator.addWordPressUser("editor", "changed changed");
    const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "wordpress" });
    expect(result.ok).toBe(false);
    expect((await w.rows())[0]).toMatchObject({ status: "error", statusReason: "unauthorized" });
    const audit = await w.t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["integration.connected", "integration.test_failed"]));
  });

  test("testing a provider that is not connected is NOT_CONNECTED", async () => {
    const w = await world();
    const error = await errorOf(w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "slack" }));
    expect(error.code).toBe("NOT_CONNECTED");
  });
});

describe("a misconfigured deployment", () => {
  test("a missing key ring is a MISCONFIGURED error that names the variable, and nothing is stored", async () => {
    const w = await world();
    const saved = process.env.SWITCHBOARD_ENCRYPTION_KEYS;
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = "k1:tooshort";
    try {
      const error = await errorOf(
        w.connect("custom-webhook", { url: await w.simulator.webhookUrl("custom-webhook"), method: "POST", authMode: "none" }),
      );
      expect(error.code).toBe("MISCONFIGURED");
      expect(error.message).toContain("SWITCHBOARD_ENCRYPTION_KEYS");
      expect(error.message).not.toContain("tooshort");
      expect(await w.rows()).toEqual([]);
      expect(await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).toEqual([]);
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = saved;
    }
  });
});
