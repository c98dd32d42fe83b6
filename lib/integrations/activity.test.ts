import { describe, expect, test } from "vitest";
import { actorKindLabel, AUDIT_ACTIONS, describeAction, describeDetails } from "./activity";

describe("describeAction", () => {
  test("every action has words; an unknown one reads as itself", () => {
    for (const action of AUDIT_ACTIONS) expect(describeAction(action)).not.toBe(action);
    expect(describeAction("something.new")).toBe("something.new");
  });
});

describe("describeDetails", () => {
  test("a role change says from what to what", () => {
    expect(describeDetails("member.role_changed", { from: "admin", to: "member" })).toBe("from admin to member");
    expect(describeDetails("member.role_changed", {})).toBeNull();
    expect(describeDetails("org.renamed", { from: "Acme", to: "Acme Labs" })).toBe("from “Acme” to “Acme Labs”");
    expect(describeDetails("org.renamed", { from: "Acme" })).toBeNull();
    expect(describeDetails("org.slug_changed", { from: "acme", to: "acme-labs" })).toBe("from /o/acme to /o/acme-labs");
    expect(describeDetails("org.slug_changed", { to: "acme-labs" })).toBeNull();
  });
  test("a disconnect says what became of the grant", () => {
    expect(describeDetails("integration.disconnected", { revokedAtProvider: "pending" })).toBe("revocation pending, tried again");
    expect(describeDetails("integration.disconnected", { revokedAtProvider: "not_applicable" })).toBeNull();
  });
  test("failures say why; other actions add nothing", () => {
    expect(describeDetails("integration.connect_failed", { code: "token_exchange_failed" })).toBe("token exchange failed");
    expect(describeDetails("integration.test_failed", { reason: "unauthorized", message: "GitHub refused the credentials." })).toBe(
      "GitHub refused the credentials.",
    );
    expect(describeDetails("integration.connected", { scopes: "repo" })).toBeNull();
  });
});

describe("describeDetails, every detail an activity row can show", () => {
  test("API key events name the key by its prefix and last four; a failed run with a key says so", () => {
    expect(describeDetails("api_key.created", { prefix: "sbk_AbCd", lastFour: "wxyz" })).toBe("sbk_AbCd…wxyz");
    expect(describeDetails("api_key.revoked", { prefix: "sbk_AbCd", lastFour: "wxyz" })).toBe("sbk_AbCd…wxyz");
    expect(describeDetails("api_key.rotated", { prefix: "sbk_EfGh", lastFour: "1234" })).toBe("replaced by sbk_EfGh…1234");
    expect(describeDetails("api_key.created", { prefix: "sbk_AbCd" })).toBeNull();
    expect(describeDetails("api_key.rotated", { lastFour: "1234" })).toBeNull();
    expect(describeDetails("action.run", { ok: false })).toBe("which failed");
    expect(describeDetails("action.run", { ok: true })).toBeNull();
    expect(describeAction("api_key.rotated")).toBe("rotated the API key");
  });

  test("a disconnect names each fate of the grant", () => {
    const words = (revokedAtProvider: string) => describeDetails("integration.disconnected", { revokedAtProvider });
    expect(words("revoked")).toBe("access revoked at the provider");
    expect(words("failed")).toBe("the provider did not revoke access");
    expect(words("not_supported")).toBe("the provider has no revocation");
    expect(describeDetails("integration.disconnected", {})).toBeNull();
  });

  test("a role change needs both ends, as text", () => {
    expect(describeDetails("member.role_changed", { from: "admin" })).toBeNull();
    expect(describeDetails("member.role_changed", { from: 1, to: 2 })).toBeNull();
  });

  test("a failed connect without a code adds nothing", () => {
    expect(describeDetails("integration.connect_failed", {})).toBeNull();
  });

  test.each(["integration.refresh_failed", "integration.revocation_failed", "integration.unauthorized", "integration.decrypt_failed"])(
    "%s shows its message",
    (action) => {
      expect(describeDetails(action, { message: "Slack is unavailable (HTTP 503)." })).toBe("Slack is unavailable (HTTP 503).");
      expect(describeDetails(action, { message: 503 })).toBeNull();
    },
  );
});

describe("actorKindLabel", () => {
  test("Switchboard, API keys and workflows by their labels; a person is left to the caller", () => {
    expect(actorKindLabel({ kind: "system", label: "Token refresh" })).toBe("Token refresh");
    expect(actorKindLabel({ kind: "system" })).toBe("Switchboard");
    expect(actorKindLabel({ kind: "apiKey", label: "CI key" })).toBe("CI key");
    expect(actorKindLabel({ kind: "apiKey" })).toBe("API key");
    expect(actorKindLabel({ kind: "workflow", label: "Deploy notice" })).toBe("Workflow “Deploy notice”");
    expect(actorKindLabel({ kind: "workflow" })).toBe("A workflow");
    expect(actorKindLabel({ kind: "user", label: "ignored" })).toBeNull();
  });

  test("workflow events have words", () => {
    expect(describeAction("workflow.run_started")).toBe("started a run of the workflow");
    expect(describeDetails("workflow.created", { workflowId: "w1" })).toBeNull();
  });
});
