import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  messageIdHeader,
  secretKeyBytes,
  signatureHeader,
  signedHeaders,
  WebhookSecretError,
} from "./signing";

const BODY = JSON.stringify({ type: "endpoint.test", timestamp: "2026-01-01T00:00:00.000Z", data: { endpointId: "ep_1", message: "hi" } });

describe("generateWebhookSecret", () => {
  it("is whsec_ and base64 of 32 random bytes by default", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it.each([24, 64])("makes %i-byte secrets", (bytes) => {
    expect(secretKeyBytes(generateWebhookSecret(bytes))).toHaveLength(bytes);
  });

  it.each([23, 65, 32.5])("refuses %s bytes", (bytes) => {
    expect(() => generateWebhookSecret(bytes)).toThrow(new RangeError("A webhook secret has 24 to 64 random bytes."));
  });
});

describe("secretKeyBytes", () => {
  it("refuses a secret without the whsec_ prefix, saying so", () => {
    const error = (() => {
      try {
        secretKeyBytes(`xxxxx_${btoa("x".repeat(32))}`);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect(error).toMatchObject({ name: "WebhookSecretError", message: "A webhook secret starts with whsec_." });
  });

  it.each([
    ["not base64", "whsec_!!!!"],
    ["too short", `whsec_${btoa("x".repeat(23))}`],
    ["too long", `whsec_${btoa("x".repeat(65))}`],
  ])("refuses a secret that is %s", (_, secret) => {
    expect(() => secretKeyBytes(secret)).toThrow(new WebhookSecretError("A webhook secret is whsec_ and base64 of 24 to 64 bytes."));
  });

  it("accepts the bounds", () => {
    expect(secretKeyBytes(`whsec_${btoa("x".repeat(24))}`)).toHaveLength(24);
    expect(secretKeyBytes(`whsec_${btoa("x".repeat(64))}`)).toHaveLength(64);
  });
});

describe("signatureHeader", () => {
  it("matches the Standard Webhooks known-answer vector", async () => {
    // From the standard-webhooks reference library's tests.
    const header = await signatureHeader({
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestampSeconds: 1614265330,
      body: '{"test": 2432232314}',
      secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    });
    expect(header).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs once per secret, space-separated, newest first", async () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    const input = { id: "msg_1", timestampSeconds: 1_700_000_000, body: BODY };
    const both = await signatureHeader({ ...input, secrets: [a, b] });
    expect(both).toBe(`${await signatureHeader({ ...input, secrets: [a] })} ${await signatureHeader({ ...input, secrets: [b] })}`);
  });

  it("needs a secret", async () => {
    await expect(signatureHeader({ id: "msg_1", timestampSeconds: 1, body: "{}", secrets: [] })).rejects.toThrow(
      new WebhookSecretError("A delivery needs at least one secret to sign with."),
    );
  });

  it("changes with the id, the timestamp and the body", async () => {
    const secrets = [generateWebhookSecret()];
    const base = await signatureHeader({ id: "msg_1", timestampSeconds: 1, body: "{}", secrets });
    expect(await signatureHeader({ id: "msg_2", timestampSeconds: 1, body: "{}", secrets })).not.toBe(base);
    expect(await signatureHeader({ id: "msg_1", timestampSeconds: 2, body: "{}", secrets })).not.toBe(base);
    expect(await signatureHeader({ id: "msg_1", timestampSeconds: 1, body: "{ }", secrets })).not.toBe(base);
  });
});

describe("signedHeaders", () => {
  const now = Math.floor(Date.now() / 1000);

  it("verifies with the standardwebhooks and svix libraries, with either secret during a rotation", async () => {
    const [newer, older] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = await signedHeaders({ id: messageIdHeader("abc"), timestampSeconds: now, body: BODY, secrets: [newer, older] });
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["webhook-id"]).toBe("msg_abc");
    expect(headers["webhook-timestamp"]).toBe(String(now));
    for (const secret of [newer, older]) {
      expect(new StandardWebhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
      expect(new SvixWebhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    }
    const stranger = generateWebhookSecret();
    expect(() => new StandardWebhook(stranger).verify(BODY, headers)).toThrow();
    expect(() => new SvixWebhook(stranger).verify(BODY, headers)).toThrow();
  });

  it("does not verify once the body is changed", async () => {
    const secret = generateWebhookSecret();
    const headers = await signedHeaders({ id: "msg_1", timestampSeconds: now, body: BODY, secrets: [secret] });
    expect(() => new StandardWebhook(secret).verify(BODY.replace("hi", "ho"), headers)).toThrow();
  });
});
