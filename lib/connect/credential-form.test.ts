import { describe, expect, test } from "vitest";
import { getProviderOrThrow } from "../providers";
import { checkCredentialForm, isFieldVisible, type FormProvider } from "./credential-form";

const wordpress = getProviderOrThrow("wordpress") as FormProvider;
const pumble = getProviderOrThrow("pumble") as FormProvider;
const customWebhook = getProviderOrThrow("custom-webhook") as FormProvider;
const strict = { allowLoopback: false };

describe("checkCredentialForm", () => {
  test("splits secrets from config and normalises the WordPress site and password", () => {
    const result = checkCredentialForm(
      wordpress,
      { siteUrl: " https://blog.example.com/wp-json/ ", username: "editor", applicationPassword: "abcd efgh ijkl" },
      strict,
    );
    expect(result).toEqual({
      ok: true,
      secrets: { applicationPassword: "abcdefghijkl" },
      config: { siteUrl: "https://blog.example.com", username: "editor" },
    });
  });

  test.each([
    [{ siteUrl: "", username: "a", applicationPassword: "b" }, "siteUrl", "Site URL is required."],
    [{ siteUrl: "http://blog.example.com", username: "a", applicationPassword: "b" }, "siteUrl", /HTTPS/],
    [{ siteUrl: "https://192.168.1.2", username: "a", applicationPassword: "b" }, "siteUrl", /private network/],
    [{ siteUrl: "https://blog.example.com", username: "a".repeat(3000), applicationPassword: "b" }, "username", /too long/],
  ])("refuses %j on %s", (values, field, message) => {
    const result = checkCredentialForm(wordpress, values, strict);
    expect(result).toMatchObject({ ok: false, field });
    expect(!result.ok && result.message).toMatch(message);
  });

  test("loopback sites are allowed only when asked (the simulator, local sites)", () => {
    const values = { siteUrl: "http://127.0.0.1:3400/wordpress", username: "a", applicationPassword: "b" };
    expect(checkCredentialForm(wordpress, values, strict).ok).toBe(false);
    expect(checkCredentialForm(wordpress, values, { allowLoopback: true }).ok).toBe(true);
  });

  test("Pumble's URL must be on Pumble's host, unless prefixes are left to the server", () => {
    const values = { webhookUrl: "https://hooks.example.com/x" };
    expect(checkCredentialForm(pumble, values, strict)).toMatchObject({ ok: false, field: "webhookUrl" });
    expect(checkCredentialForm(pumble, values, { allowLoopback: false, checkUrlPrefixes: false }).ok).toBe(true);
  });

  test("hidden fields are ignored and select values must be options", () => {
    const base = { url: "https://hooks.example.com/x", method: "POST" };
    const none = checkCredentialForm(customWebhook, { ...base, authMode: "none", bearerToken: "ignored" }, strict);
    expect(none).toMatchObject({ ok: true });
    expect(JSON.stringify(none)).not.toContain("ignored");
    expect(checkCredentialForm(customWebhook, { ...base, method: "TRACE", authMode: "none" }, strict)).toMatchObject({
      ok: false,
      field: "method",
    });
    expect(checkCredentialForm(customWebhook, { ...base, authMode: "bearer" }, strict)).toMatchObject({
      ok: false,
      field: "bearerToken",
    });
  });
});

describe("isFieldVisible", () => {
  test("follows visibleWhen", () => {
    const token = customWebhook.fields.find((f) => f.name === "bearerToken")!;
    expect(isFieldVisible(token, { authMode: "bearer" })).toBe(true);
    expect(isFieldVisible(token, { authMode: "none" })).toBe(false);
  });
});
