import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  callLogEnv,
  DEFAULT_WORKFLOW_RUN_RETENTION_DAYS,
  DEFAULT_API_KEY_USAGE_RETENTION_DAYS,
  apiKeyUsageEnv,
  workflowRunEnv,
  convexAuthEnv,
  DEFAULT_CALL_LOG_RETENTION_DAYS,
  encryptionEnv,
  EnvError,
  DEFAULT_MAIL_API_URL,
  mailEnv,
  oauthClientEnv,
  oauthClientEnvNames,
  publicEnv,
  readEnv,
  simulatorEnv,
  siteEnv,
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

describe("mailEnv", () => {
  const key = "re_live_abcdefghijklmnop";

  it("reads the email API as a config, Resend's URL by default", () => {
    expect(readEnv(mailEnv, { SWITCHBOARD_MAIL_API_KEY: key, SWITCHBOARD_MAIL_FROM: "Switchboard <no-reply@example.com>" })).toEqual({
      apiUrl: DEFAULT_MAIL_API_URL,
      apiKey: key,
      from: "Switchboard <no-reply@example.com>",
    });
    expect(DEFAULT_MAIL_API_URL).toBe("https://api.resend.com");
    expect(
      readEnv(mailEnv, { SWITCHBOARD_MAIL_API_URL: "http://127.0.0.1:3400/email-api", SWITCHBOARD_MAIL_API_KEY: key, SWITCHBOARD_MAIL_FROM: "no-reply@example.com" }),
    ).toEqual({ apiUrl: "http://127.0.0.1:3400/email-api", apiKey: key, from: "no-reply@example.com" });
  });

  it("names the missing variables and never repeats the key", () => {
    const missing = envError(() => readEnv(mailEnv, {}));
    expect(missing.variables).toEqual(["SWITCHBOARD_MAIL_API_KEY", "SWITCHBOARD_MAIL_FROM"]);
    const blank = envError(() => readEnv(mailEnv, { SWITCHBOARD_MAIL_API_KEY: "   ", SWITCHBOARD_MAIL_FROM: "x@example.com" }));
    expect(blank.problems).toEqual([{ variable: "SWITCHBOARD_MAIL_API_KEY", kind: "invalid", reason: "must not be blank (the email API's key, e.g. Resend's re_…)" }]);
    const badUrl = envError(() => readEnv(mailEnv, { SWITCHBOARD_MAIL_API_URL: "ftp://mail", SWITCHBOARD_MAIL_API_KEY: key, SWITCHBOARD_MAIL_FROM: "x@example.com" }));
    expect(badUrl.variables).toEqual(["SWITCHBOARD_MAIL_API_URL"]);
    expect(badUrl.message).not.toContain(key);
  });

  it.each(["no-reply@example.com", "Switchboard <no-reply@example.com>", "Team Switchboard <a.b+c@mail.example.co>"])("accepts the sender %j", (from) => {
    expect(readEnv(mailEnv, { SWITCHBOARD_MAIL_API_KEY: key, SWITCHBOARD_MAIL_FROM: from }).from).toBe(from);
  });

  it.each(["Switchboard", "no-reply@example", "<no-reply@example.com", "Switchboard no-reply@example.com", "a b@example.com", "x@example.com\nBcc: y@example.com", "Name<x@example.com>"])(
    "refuses the sender %j",
    (from) => {
      const error = envError(() => readEnv(mailEnv, { SWITCHBOARD_MAIL_API_KEY: key, SWITCHBOARD_MAIL_FROM: from }));
      expect(error.problems).toEqual([
        { variable: "SWITCHBOARD_MAIL_FROM", kind: "invalid", reason: 'must be an email address, alone or as "Name <address>"' },
      ]);
    },
  );
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

describe("workflowRunEnv", () => {
  it("defaults to 30 days and reads a positive whole number", () => {
    expect(readEnv(workflowRunEnv, {})).toEqual({ WORKFLOW_RUN_RETENTION_DAYS: 30 });
    expect(DEFAULT_WORKFLOW_RUN_RETENTION_DAYS).toBe(30);
    expect(readEnv(workflowRunEnv, { WORKFLOW_RUN_RETENTION_DAYS: "90" })).toEqual({ WORKFLOW_RUN_RETENTION_DAYS: 90 });
  });

  it.each(["0", "-3", "1.5", "month", "07"])("rejects %j", (value) => {
    const error = envError(() => readEnv(workflowRunEnv, { WORKFLOW_RUN_RETENTION_DAYS: value }));
    expect(error.problems).toEqual([{ variable: "WORKFLOW_RUN_RETENTION_DAYS", kind: "invalid", reason: "must be a positive whole number of days" }]);
  });
});

describe("apiKeyUsageEnv", () => {
  it("defaults to 30 days and reads a positive whole number", () => {
    expect(readEnv(apiKeyUsageEnv, {})).toEqual({ API_KEY_USAGE_RETENTION_DAYS: 30 });
    expect(DEFAULT_API_KEY_USAGE_RETENTION_DAYS).toBe(30);
    expect(readEnv(apiKeyUsageEnv, { API_KEY_USAGE_RETENTION_DAYS: "7" })).toEqual({ API_KEY_USAGE_RETENTION_DAYS: 7 });
  });

  it.each(["0", "-3", "1.5", "week"])("rejects %j", (value) => {
    const error = envError(() => readEnv(apiKeyUsageEnv, { API_KEY_USAGE_RETENTION_DAYS: value }));
    expect(error.problems).toEqual([{ variable: "API_KEY_USAGE_RETENTION_DAYS", kind: "invalid", reason: "must be a positive whole number of days" }]);
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

describe("what a developer's terminal shows", () => {
  it("one line per variable, missing ones as not set, under a heading", () => {
    const schema = z.object({ NAME: z.string(), COLOR: z.enum(["red", "blue"]) });
    const error = envError(() => readEnv(schema, { COLOR: "green" }));
    expect(error.name).toBe("EnvError");
    expect(error.message).toBe(`Environment variables are missing or invalid:\n  - NAME is not set\n  - COLOR ${error.problems[1].reason}`);
    expect(error.problems[1].reason).not.toBe("");
  });

  it("only the first problem of a variable is reported", () => {
    const schema = z.object({ CODE: z.string().min(10, { error: "too short" }).regex(/^x/, { error: "must start with x" }) });
    expect(envError(() => readEnv(schema, { CODE: "abc" })).problems).toEqual([{ variable: "CODE", kind: "invalid", reason: "too short" }]);
  });

  it("a problem with the set of variables as a whole is reported for the environment", () => {
    const schema = z.object({ A: z.string().optional(), B: z.string().optional() }).refine((env) => env.A || env.B, { error: "set A or B" });
    expect(envError(() => readEnv(schema, {})).variables).toEqual(["environment"]);
  });

  it("values of four characters or more are scrubbed from a message; shorter ones are left", () => {
    const leaky = z.object({ TOKEN: z.string().refine(() => false, { error: (issue) => `rejected ${String(issue.input)}` }) });
    expect(envError(() => readEnv(leaky, { TOKEN: "abcd" })).message).toContain("TOKEN rejected [redacted]");
    expect(envError(() => readEnv(leaky, { TOKEN: "abc" })).message).toContain("TOKEN rejected abc");
  });

  it("where there is no process at all (a browser bundle), reads nothing rather than throwing", () => {
    vi.stubGlobal("process", undefined);
    let result: unknown;
    try {
      result = readEnv(z.object({ NAME: z.string().optional() }));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(result).toEqual({});
  });
});

describe("the schemas' rules and reasons", () => {
  const reason = (schema: z.ZodType, source: Record<string, string>) => envError(() => readEnv(schema, source)).problems[0].reason;

  it("URLs must be http or https, named with what they are for", () => {
    for (const url of ["httpx://localhost:3000", "xhttp://localhost:3000", "ftp://localhost"]) {
      expect(reason(siteEnv, { SITE_URL: url })).toBe("must be an http(s) URL (where the app runs, e.g. http://localhost:3000)");
    }
    expect(readEnv(siteEnv, { SITE_URL: "https://app.example" })).toEqual({ SITE_URL: "https://app.example" });
    expect(envError(() => readEnv(siteEnv, {})).variables).toEqual(["SITE_URL"]);
    expect(reason(convexAuthEnv, { ...validAuth, SITE_URL: "nope" })).toBe("must be an http(s) URL (where the app runs, e.g. http://localhost:3000)");
    expect(reason(convexAuthEnv, { ...validAuth, CONVEX_SITE_URL: "nope" })).toBe("must be an http(s) URL (the deployment's HTTP actions URL)");
    expect(reason(simulatorEnv, { SWITCHBOARD_PROVIDER_SIMULATOR_URL: "nope" })).toBe(
      "must be an http(s) URL (the provider simulator, e.g. http://127.0.0.1:4010)",
    );
    expect(reason(publicEnv, { NEXT_PUBLIC_CONVEX_URL: "nope" })).toBe(
      "must be an http(s) URL (the Convex deployment URL that `convex dev` writes to .env.local)",
    );
  });

  it("a blank key ring or OAuth client value says what it should hold", () => {
    expect(reason(encryptionEnv, { SWITCHBOARD_ENCRYPTION_KEYS: "  " })).toBe(
      'must not be blank ("id:base64key" entries separated by commas, newest first)',
    );
    expect(reason(oauthClientEnv("github"), { GITHUB_CLIENT_ID: " ", GITHUB_CLIENT_SECRET: "s" })).toBe(
      "must not be blank (the github OAuth app's client id)",
    );
    expect(reason(oauthClientEnv("github"), { GITHUB_CLIENT_ID: "i", GITHUB_CLIENT_SECRET: " " })).toBe(
      "must not be blank (the github OAuth app's client secret)",
    );
  });

  it("the private key needs its PEM footer as well as its header", () => {
    const noFooter = "-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
    expect(envError(() => readEnv(convexAuthEnv, { ...validAuth, JWT_PRIVATE_KEY: noFooter })).variables).toEqual(["JWT_PRIVATE_KEY"]);
  });

  it.each(["null", "42", '"keys"', '{"keys":[]}', '{"keys":[1]}', '{"keys":[{"kty":"RSA"},null]}', '{"keys":{}}', "{"])(
    "JWKS %s is refused",
    (jwks) => {
      expect(envError(() => readEnv(convexAuthEnv, { ...validAuth, JWKS: jwks })).variables).toEqual(["JWKS"]);
    },
  );

  it("retention may be up to six digits of days", () => {
    expect(readEnv(callLogEnv, { CALL_LOG_RETENTION_DAYS: "365" })).toEqual({ CALL_LOG_RETENTION_DAYS: 365 });
    expect(readEnv(callLogEnv, { CALL_LOG_RETENTION_DAYS: "999999" })).toEqual({ CALL_LOG_RETENTION_DAYS: 999999 });
    expect(envError(() => readEnv(callLogEnv, { CALL_LOG_RETENTION_DAYS: "1000000" })).variables).toEqual(["CALL_LOG_RETENTION_DAYS"]);
  });

  it("a name that is not a provider id is refused in a sentence", () => {
    expect(() => oauthClientEnvNames("Slack")).toThrow('"Slack" is not a provider id (lowercase kebab-case).');
  });
});
