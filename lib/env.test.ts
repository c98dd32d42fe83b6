import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  callLogEnv,
  convexAuthEnv,
  DEFAULT_CALL_LOG_RETENTION_DAYS,
  encryptionEnv,
  EnvError,
  oauthClientEnv,
  oauthClientEnvNames,
  publicEnv,
  readEnv,
  simulatorEnv,
} from "./env";

/** The EnvError `read` throws; fails the test when it does not throw one. */
function envError(read: () => unknown): EnvError {
  try {
    read();
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError");
}

const PEM = "-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC -----END PRIVATE KEY-----";
const JWKS = JSON.stringify({ keys: [{ use: "sig", kty: "RSA", n: "abc", e: "AQAB" }] });
const validAuth = {
  JWT_PRIVATE_KEY: PEM,
  JWKS,
  SITE_URL: "http://localhost:3000",
  CONVEX_SITE_URL: "https://happy-otter-123.convex.site",
};

describe("readEnv", () => {
  const schema = z.object({ NAME: z.string(), COLOR: z.enum(["red", "blue"]).optional() });

  it("returns the parsed variables and ignores unrelated ones", () => {
    expect(readEnv(schema, { NAME: "x", COLOR: "red", PATH: "/bin" })).toEqual({ NAME: "x", COLOR: "red" });
  });

  it("reads process.env by default", () => {
    process.env.SWITCHBOARD_TEST_NAME = "from-process";
    try {
      expect(readEnv(z.object({ SWITCHBOARD_TEST_NAME: z.string() }))).toEqual({ SWITCHBOARD_TEST_NAME: "from-process" });
    } finally {
      delete process.env.SWITCHBOARD_TEST_NAME;
    }
  });

  it("lists every missing and every malformed variable in one error", () => {
    const error = envError(() => readEnv(schema, { COLOR: "green" }));
    expect(error.variables).toEqual(["NAME", "COLOR"]);
    expect(error.problems.map((p) => p.kind)).toEqual(["missing", "invalid"]);
    expect(error.message).toContain("NAME is not set");
    expect(error.message).toMatch(/COLOR .+/);
  });

  it("counts an empty string as not set", () => {
    expect(envError(() => readEnv(schema, { NAME: "" })).problems).toEqual([{ variable: "NAME", kind: "missing", reason: "is not set" }]);
  });

  it("never repeats a value, even when a schema's message would", () => {
    const leaky = z.object({ TOKEN: z.string().refine(() => false, { error: (issue) => `rejected ${String(issue.input)}` }) });
    const error = envError(() => readEnv(leaky, { TOKEN: "sk_live_supersecret" }));
    expect(error.message).not.toContain("sk_live_supersecret");
    expect(error.message).toContain("TOKEN rejected [redacted]");
  });
});

describe("convexAuthEnv", () => {
  it("accepts what npm run dev generates and Convex provides", () => {
    expect(readEnv(convexAuthEnv, validAuth)).toEqual(validAuth);
  });

  it("names all four when nothing is set", () => {
    expect(envError(() => readEnv(convexAuthEnv, {})).variables).toEqual(["JWT_PRIVATE_KEY", "JWKS", "SITE_URL", "CONVEX_SITE_URL"]);
  });

  it.each([
    ["JWT_PRIVATE_KEY", "not a key", /PKCS#8 PEM/],
    ["JWT_PRIVATE_KEY", ` ${PEM}`, /PKCS#8 PEM/],
    ["JWT_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY----- abc -----END RSA PRIVATE KEY-----", /PKCS#8 PEM/],
    ["JWKS", "{not json", /JSON like/],
    ["JWKS", '{"keys":[]}', /at least one key/],
    ["JWKS", '[{"kty":"RSA"}]', /JSON like/],
    ["SITE_URL", "localhost:3000", /http\(s\) URL/],
    ["SITE_URL", "ftp://example.com", /http\(s\) URL/],
    ["CONVEX_SITE_URL", "not a url", /http\(s\) URL/],
  ])("rejects %s=%j without echoing it", (name, value, reason) => {
    const error = envError(() => readEnv(convexAuthEnv, { ...validAuth, [name]: value }));
    expect(error.problems).toEqual([{ variable: name, kind: "invalid", reason: expect.stringMatching(reason) }]);
    expect(error.message).not.toContain(value.trim());
  });

  it("does not echo the private key when another variable is wrong", () => {
    const error = envError(() => readEnv(convexAuthEnv, { ...validAuth, SITE_URL: undefined }));
    expect(error.message).not.toContain("MIIE");
  });
});

describe("encryptionEnv", () => {
  it("accepts any non-blank key ring (lib/vault parses it)", () => {
    expect(readEnv(encryptionEnv, { SWITCHBOARD_ENCRYPTION_KEYS: "k20260101:abc" })).toEqual({ SWITCHBOARD_ENCRYPTION_KEYS: "k20260101:abc" });
  });

  it("reports it missing or blank", () => {
    expect(envError(() => readEnv(encryptionEnv, {})).problems[0]).toMatchObject({ variable: "SWITCHBOARD_ENCRYPTION_KEYS", kind: "missing" });
    expect(envError(() => readEnv(encryptionEnv, { SWITCHBOARD_ENCRYPTION_KEYS: "   " })).problems[0]).toMatchObject({ kind: "invalid" });
  });
});

describe("simulatorEnv", () => {
  it("is optional", () => {
    expect(readEnv(simulatorEnv, {})).toEqual({});
    expect(readEnv(simulatorEnv, { SWITCHBOARD_PROVIDER_SIMULATOR_URL: "" })).toEqual({});
  });

  it("accepts an http URL and rejects anything else", () => {
    expect(readEnv(simulatorEnv, { SWITCHBOARD_PROVIDER_SIMULATOR_URL: "http://127.0.0.1:4010" })).toEqual({
      SWITCHBOARD_PROVIDER_SIMULATOR_URL: "http://127.0.0.1:4010",
    });
    expect(envError(() => readEnv(simulatorEnv, { SWITCHBOARD_PROVIDER_SIMULATOR_URL: "127.0.0.1:4010" })).variables).toEqual([
      "SWITCHBOARD_PROVIDER_SIMULATOR_URL",
    ]);
  });
});

describe("oauthClientEnvNames", () => {
  it.each([
    ["slack", "SLACK"],
    ["google-calendar", "GOOGLE_CALENDAR"],
    ["microsoft", "MICROSOFT"],
  ])("derives the names for %s", (id, prefix) => {
    expect(oauthClientEnvNames(id)).toEqual({ clientId: `${prefix}_CLIENT_ID`, clientSecret: `${prefix}_CLIENT_SECRET` });
  });

  it.each(["Slack", "google_calendar", "", "-slack", "slack!"])("refuses %j, which is not a provider id", (id) => {
    expect(() => oauthClientEnvNames(id)).toThrow(TypeError);
  });
});

describe("oauthClientEnv", () => {
  it("reads <PROVIDER>_CLIENT_ID and _SECRET as { clientId, clientSecret }", () => {
    const source = { GOOGLE_CALENDAR_CLIENT_ID: "id-123", GOOGLE_CALENDAR_CLIENT_SECRET: "secret-456", SLACK_CLIENT_ID: "other" };
    expect(readEnv(oauthClientEnv("google-calendar"), source)).toEqual({ clientId: "id-123", clientSecret: "secret-456" });
  });

  it("names the provider's variables when they are missing", () => {
    const error = envError(() => readEnv(oauthClientEnv("github"), { GITHUB_CLIENT_ID: "id" }));
    expect(error.problems).toEqual([{ variable: "GITHUB_CLIENT_SECRET", kind: "missing", reason: "is not set" }]);
  });
});

describe("callLogEnv", () => {
  it("defaults to 30 days", () => {
    expect(readEnv(callLogEnv, {})).toEqual({ CALL_LOG_RETENTION_DAYS: DEFAULT_CALL_LOG_RETENTION_DAYS });
    expect(DEFAULT_CALL_LOG_RETENTION_DAYS).toBe(30);
  });

  it("reads a positive whole number", () => {
    expect(readEnv(callLogEnv, { CALL_LOG_RETENTION_DAYS: "7" })).toEqual({ CALL_LOG_RETENTION_DAYS: 7 });
  });

  it.each(["0", "-3", "1.5", "seven", " 7", "07", "1e3"])("rejects %j", (value) => {
    const error = envError(() => readEnv(callLogEnv, { CALL_LOG_RETENTION_DAYS: value }));
    expect(error.problems).toEqual([{ variable: "CALL_LOG_RETENTION_DAYS", kind: "invalid", reason: "must be a positive whole number of days" }]);
  });
});

describe("publicEnv", () => {
  it("reads the Convex URL, with simulated providers off by default", () => {
    expect(readEnv(publicEnv, { NEXT_PUBLIC_CONVEX_URL: "http://127.0.0.1:3210" })).toEqual({ NEXT_PUBLIC_CONVEX_URL: "http://127.0.0.1:3210" });
  });

  it('accepts NEXT_PUBLIC_SIMULATED_PROVIDERS="1" and nothing else', () => {
    const url = "https://happy-otter-123.convex.cloud";
    expect(readEnv(publicEnv, { NEXT_PUBLIC_CONVEX_URL: url, NEXT_PUBLIC_SIMULATED_PROVIDERS: "1" }).NEXT_PUBLIC_SIMULATED_PROVIDERS).toBe("1");
    const error = envError(() => readEnv(publicEnv, { NEXT_PUBLIC_CONVEX_URL: url, NEXT_PUBLIC_SIMULATED_PROVIDERS: "true" }));
    expect(error.problems).toEqual([{ variable: "NEXT_PUBLIC_SIMULATED_PROVIDERS", kind: "invalid", reason: 'must be "1" or unset' }]);
  });

  it("explains a missing Convex URL", () => {
    expect(envError(() => readEnv(publicEnv, {})).message).toContain("NEXT_PUBLIC_CONVEX_URL is not set");
  });
});
