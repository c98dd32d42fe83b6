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

describe("checkCredentialForm, what a person is told", () => {
  const site = (siteUrl: string) => ({ siteUrl, username: "a", applicationPassword: "b" });
  const messageFor = (provider: FormProvider, values: Record<string, string>, options: { allowLoopback?: boolean } = strict) => {
    const result = checkCredentialForm(provider, values, options);
    return result.ok ? "ok" : result.message;
  };

  test("each refused address says what to change", () => {
    expect(messageFor(customWebhook, { url: "http://hooks.example.com/x", method: "POST", authMode: "none" })).toBe("Use an https:// address.");
    expect(messageFor(customWebhook, { url: "https://u:p@hooks.example.com/x", method: "POST", authMode: "none" })).toBe(
      "Leave the username and password out of the address.",
    );
    expect(messageFor(wordpress, site("https://127.0.0.1"))).toBe("That address points at this server; use the public address.");
    expect(messageFor(wordpress, site("https://wiki.intranet"))).toBe("That looks like an internal host name; use a public address.");
    expect(messageFor(wordpress, site("https://169.254.169.254"))).toBe("Site URL is not an address we can send to.");
  });

  test("loopback is refused unless asked for, also when the option is left out", () => {
    expect(messageFor(wordpress, site("http://127.0.0.1:3400/wordpress"), {})).not.toBe("ok");
  });

  test("a select value outside its options is named", () => {
    expect(messageFor(customWebhook, { url: "https://hooks.example.com/x", method: "TRACE", authMode: "none" })).toBe(
      "Choose one of the options for Method.",
    );
  });

  test("values are trimmed, and may be exactly the longest length", () => {
    const result = checkCredentialForm(customWebhook, { url: " https://hooks.example.com/x ", method: " PUT ", authMode: "none" }, strict);
    expect(result).toEqual({ ok: true, secrets: { url: "https://hooks.example.com/x" }, config: { method: "PUT", authMode: "none" } });
    const longest = `e${"d".repeat(2047)}`;
    expect(checkCredentialForm(wordpress, { ...site("https://blog.example.com"), username: longest }, strict)).toMatchObject({ ok: true });
  });

  test("an optional field left empty is simply absent", () => {
    const withNote = {
      ...customWebhook,
      fields: [...customWebhook.fields, { name: "note", label: "Note", type: "text" as const, required: false, secret: false }],
    } as FormProvider;
    const result = checkCredentialForm(withNote, { url: "https://hooks.example.com/x", method: "POST", authMode: "none", note: " " }, strict);
    expect(result).toEqual({ ok: true, secrets: { url: "https://hooks.example.com/x" }, config: { method: "POST", authMode: "none" } });
  });

  test("a webhook URL on an allowed prefix passes; with several prefixes any one will do", () => {
    const url = "https://api.pumble.com/workspaces/w1/incomingWebhooks/postMessage/k";
    expect(checkCredentialForm(pumble, { webhookUrl: url }, strict)).toEqual({ ok: true, secrets: { webhookUrl: url }, config: {} });
    if (pumble.authKind !== "webhook_url") throw new Error("Pumble is a webhook");
    const two = { ...pumble, webhook: { ...pumble.webhook, allowedUrlPrefixes: ["https://eu.pumble.example/", "https://api.pumble.com/workspaces/"] } };
    expect(checkCredentialForm(two, { webhookUrl: url }, strict)).toMatchObject({ ok: true });
    expect(messageFor(two, { webhookUrl: "https://hooks.example.com/x" })).toBe("Incoming webhook URL must start with https://eu.pumble.example/.");
  });
});
