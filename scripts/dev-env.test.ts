import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  chooseSetupMode,
  convexDeploymentConfig,
  describeEnvChange,
  DotEnvFormatError,
  formatDotEnvValue,
  formatEnvValueForCli,
  generateAuthKeys,
  generateEncryptionKeyRing,
  parseEnvList,
  planEnvChanges,
  readDotEnv,
  serializeDotEnv,
  upsertDotEnv,
  type GeneratedEnv,
} from "./dev-env";

const generated: GeneratedEnv = {
  authKeys: { JWT_PRIVATE_KEY: "new-private", JWKS: "new-jwks" },
  siteUrl: "http://localhost:3000",
  encryptionKeys: "k20260101:new",
};

describe("parseEnvList", () => {
  it("reads NAME=value lines, keeping = and spaces inside values", () => {
    const stdout = "A=x=y z\nSITE_URL=http://localhost:3000\nJWKS={\"keys\":[{\"use\":\"sig\"}]}\n";
    expect(parseEnvList(stdout)).toEqual(
      new Map([
        ["A", "x=y z"],
        ["SITE_URL", "http://localhost:3000"],
        ["JWKS", '{"keys":[{"use":"sig"}]}'],
      ]),
    );
  });

  it("reads a one-line PEM whose newlines were folded to spaces", () => {
    const pem = "-----BEGIN PRIVATE KEY----- MIIEvQ+/= -----END PRIVATE KEY-----";
    expect(parseEnvList(`JWT_PRIVATE_KEY=${pem}\n`).get("JWT_PRIVATE_KEY")).toBe(pem);
  });

  it("reads the quoted forms the CLI prints for #, edge quotes and newlines", () => {
    const stdout = ["HASH='a#b'", "QUOTED=\"'x'\"", "MULTI='line 1", "line 2'", "ESCAPED=\"it's\\nthere\"", ""].join("\n");
    expect(parseEnvList(stdout)).toEqual(
      new Map([
        ["HASH", "a#b"],
        ["QUOTED", "'x'"],
        ["MULTI", "line 1\nline 2"],
        ["ESCAPED", "it's\nthere"],
      ]),
    );
  });

  it("reads empty output (no variables) as an empty map", () => {
    expect(parseEnvList("")).toEqual(new Map());
  });
});

describe("readDotEnv", () => {
  it("skips comments and blank lines, strips export and inline comments", () => {
    const text = "# Deployment used by `npx convex dev`\n\nexport CONVEX_DEPLOYMENT=anonymous:anonymous-main # team: none\nNEXT_PUBLIC_CONVEX_URL=http://127.0.0.1:3210\n";
    expect(readDotEnv(text)).toEqual(
      new Map([
        ["CONVEX_DEPLOYMENT", "anonymous:anonymous-main"],
        ["NEXT_PUBLIC_CONVEX_URL", "http://127.0.0.1:3210"],
      ]),
    );
  });

  it("lets a later assignment win, as dotenv does", () => {
    expect(readDotEnv("A=1\nA=2\n").get("A")).toBe("2");
  });

  it("accepts CRLF line endings", () => {
    expect(readDotEnv("A=1\r\nB=2\r\n")).toEqual(new Map([["A", "1"], ["B", "2"]]));
  });
});

describe("formatDotEnvValue and serializeDotEnv", () => {
  const tricky = [
    "plain",
    "",
    "x=y z",
    "a#b",
    '{"keys":[{"use":"sig","n":"abc"}]}',
    "-----BEGIN PRIVATE KEY----- MII+/= -----END PRIVATE KEY-----",
    "it's",
    "it's \"quoted\"",
    "line 1\nline 2",
    "it's\non two lines",
    " padded ",
  ];

  it.each(tricky)("round-trips %j through readDotEnv", (value) => {
    expect(readDotEnv(serializeDotEnv([["V", value]])).get("V")).toBe(value);
  });

  it("writes plain values bare", () => {
    expect(formatDotEnvValue("SITE_URL", "http://localhost:3000")).toBe("http://localhost:3000");
  });

  it("refuses values .env syntax cannot carry, naming the variable but not the value", () => {
    expect(() => formatDotEnvValue("SECRET", "a\rb")).toThrow(DotEnvFormatError);
    expect(() => formatDotEnvValue("SECRET", "'\"`s3cret")).toThrow(/^SECRET cannot be written/);
    expect(() => formatDotEnvValue("SECRET", "'\"`s3cret")).not.toThrow(/s3cret/);
  });
});

describe("upsertDotEnv", () => {
  const file = [
    "# Deployment used by `npx convex dev`",
    "CONVEX_DEPLOYMENT=anonymous:anonymous-main # team: none",
    "",
    "# the app's URL",
    "NEXT_PUBLIC_CONVEX_URL=http://127.0.0.1:3210",
    "",
  ].join("\n");

  it("rewrites an existing variable in place and keeps every comment and the order", () => {
    const updated = upsertDotEnv(file, [["NEXT_PUBLIC_CONVEX_URL", "http://127.0.0.1:3999"]]);
    expect(updated).toBe(file.replace("3210", "3999"));
  });

  it("keeps an inline comment after a rewritten value", () => {
    const updated = upsertDotEnv(file, [["CONVEX_DEPLOYMENT", "dev:happy-otter-123"]]);
    expect(updated.split("\n")[1]).toBe("CONVEX_DEPLOYMENT=dev:happy-otter-123 # team: none");
  });

  it("appends new variables at the end, quoting where needed", () => {
    const updated = upsertDotEnv(file, [["NEXT_PUBLIC_SIMULATED_PROVIDERS", "1"], ["GREETING", "hello world"]]);
    expect(updated).toBe(`${file}NEXT_PUBLIC_SIMULATED_PROVIDERS=1\nGREETING='hello world'\n`);
    expect(readDotEnv(updated).get("GREETING")).toBe("hello world");
  });

  it("adds a newline before appending to a file without a trailing one, and starts an empty file", () => {
    expect(upsertDotEnv("A=1", [["B", "2"]])).toBe("A=1\nB=2\n");
    expect(upsertDotEnv("", [["B", "2"]])).toBe("B=2\n");
  });

  it("replaces a multi-line quoted value whole, leaving the next comment alone", () => {
    const text = "KEY='line 1\nline 2'\n# after\nB=2\n";
    expect(upsertDotEnv(text, [["KEY", "one"]])).toBe("KEY=one\n# after\nB=2\n");
  });

  it("rewrites the last of duplicate assignments, the one dotenv uses", () => {
    expect(upsertDotEnv("A=1\nA=2\n", [["A", "3"]])).toBe("A=1\nA=3\n");
  });
});

describe("planEnvChanges", () => {
  it("sets all four on a fresh deployment", () => {
    expect(planEnvChanges(new Map(), generated)).toEqual([
      { name: "JWT_PRIVATE_KEY", action: "set", value: "new-private", reason: "missing" },
      { name: "JWKS", action: "set", value: "new-jwks", reason: "missing" },
      { name: "SITE_URL", action: "set", value: "http://localhost:3000", reason: "missing" },
      { name: "SWITCHBOARD_ENCRYPTION_KEYS", action: "set", value: "k20260101:new", reason: "missing" },
    ]);
  });

  it("keeps all four when they are present, so a second run changes nothing", () => {
    const current = new Map([
      ["JWT_PRIVATE_KEY", "old-private"],
      ["JWKS", "old-jwks"],
      ["SITE_URL", "https://switchboard.example"],
      ["SWITCHBOARD_ENCRYPTION_KEYS", "k20250101:old"],
      ["SLACK_CLIENT_ID", "unrelated"],
    ]);
    const plan = planEnvChanges(current, generated);
    expect(plan.map((c) => [c.name, c.action])).toEqual([
      ["JWT_PRIVATE_KEY", "keep"],
      ["JWKS", "keep"],
      ["SITE_URL", "keep"],
      ["SWITCHBOARD_ENCRYPTION_KEYS", "keep"],
    ]);
    expect(plan.some((c) => "value" in c)).toBe(false);
  });

  it("regenerates both keys when JWKS is present but JWT_PRIVATE_KEY is missing", () => {
    const plan = planEnvChanges(new Map([["JWKS", "old-jwks"]]), generated);
    expect(plan.slice(0, 2)).toEqual([
      { name: "JWT_PRIVATE_KEY", action: "set", value: "new-private", reason: "missing" },
      { name: "JWKS", action: "set", value: "new-jwks", reason: "unpaired" },
    ]);
  });

  it("regenerates both keys when JWT_PRIVATE_KEY is present but JWKS is missing", () => {
    const plan = planEnvChanges(new Map([["JWT_PRIVATE_KEY", "old-private"]]), generated);
    expect(plan.slice(0, 2).map((c) => [c.name, c.action, c.reason])).toEqual([
      ["JWT_PRIVATE_KEY", "set", "unpaired"],
      ["JWKS", "set", "missing"],
    ]);
  });

  it("treats a blank value as missing", () => {
    const plan = planEnvChanges(new Map([["SITE_URL", "  "]]), generated);
    expect(plan.find((c) => c.name === "SITE_URL")?.action).toBe("set");
  });

  it("sets only what is missing and keeps the rest", () => {
    const current = new Map([["JWT_PRIVATE_KEY", "p"], ["JWKS", "j"], ["SWITCHBOARD_ENCRYPTION_KEYS", "k20250101:old"]]);
    const plan = planEnvChanges(current, generated);
    expect(plan.filter((c) => c.action === "set").map((c) => c.name)).toEqual(["SITE_URL"]);
  });
});

describe("describeEnvChange", () => {
  it("names the variable and never prints its value", () => {
    const lines = planEnvChanges(new Map([["JWKS", "old"], ["SITE_URL", "x"]]), generated).map(describeEnvChange);
    expect(lines).toEqual([
      "set JWT_PRIVATE_KEY",
      "set JWKS (its partner was missing, so the key pair was regenerated)",
      "kept SITE_URL",
      "set SWITCHBOARD_ENCRYPTION_KEYS",
    ]);
    for (const secret of Object.values(generated.authKeys)) expect(lines.join("\n")).not.toContain(secret);
    expect(lines.join("\n")).not.toContain(generated.encryptionKeys);
  });
});

describe("formatEnvValueForCli", () => {
  it("folds a PEM to one line the way Convex Auth's setup does", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\nIBADAN\n-----END PRIVATE KEY-----\n";
    expect(formatEnvValueForCli(pem)).toBe("-----BEGIN PRIVATE KEY----- MIIEvQ IBADAN -----END PRIVATE KEY-----");
  });

  it("handles CRLF and leaves one-line values alone", () => {
    expect(formatEnvValueForCli("a\r\nb\r\n")).toBe("a b");
    expect(formatEnvValueForCli("http://localhost:3000")).toBe("http://localhost:3000");
  });
});

describe("generateAuthKeys", () => {
  it("makes a one-line PKCS#8 key and a JWKS that verifies what it signs, as Convex Auth signs", async () => {
    const { JWT_PRIVATE_KEY, JWKS } = await generateAuthKeys();
    expect(JWT_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY----- \S.* -----END PRIVATE KEY-----$/);
    expect(JWT_PRIVATE_KEY).not.toContain("\n");

    // What @convex-dev/auth's generateToken does with the stored value.
    const privateKey = await importPKCS8(JWT_PRIVATE_KEY, "RS256");
    const token = await new SignJWT({ sub: "user|session" })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt()
      .setIssuer("https://example.convex.site")
      .setAudience("convex")
      .setExpirationTime("1h")
      .sign(privateKey);

    const jwks = JSON.parse(JWKS) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ use: "sig", kty: "RSA", e: "AQAB" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: "https://example.convex.site", audience: "convex" });
    expect(payload.sub).toBe("user|session");
  });

  it("makes a different pair each time, and one pair's JWKS rejects the other's tokens", async () => {
    const [a, b] = await Promise.all([generateAuthKeys(), generateAuthKeys()]);
    expect(a.JWT_PRIVATE_KEY).not.toBe(b.JWT_PRIVATE_KEY);
    const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256" }).sign(await importPKCS8(a.JWT_PRIVATE_KEY, "RS256"));
    await expect(jwtVerify(token, createLocalJWKSet(JSON.parse(b.JWKS)))).rejects.toThrow();
  });
});

describe("generateEncryptionKeyRing", () => {
  it("makes one entry k<yyyymmdd>:<base64> whose key decodes to 32 bytes", () => {
    const ring = generateEncryptionKeyRing(new Date("2026-03-07T23:30:00Z"));
    const match = /^k20260307:([A-Za-z0-9+/]+={0,2})$/.exec(ring);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1], "base64")).toHaveLength(32);
  });

  it("uses the UTC date and fresh randomness", () => {
    const date = new Date("2026-12-31T23:59:59Z");
    const [a, b] = [generateEncryptionKeyRing(date), generateEncryptionKeyRing(date)];
    expect(a.startsWith("k20261231:")).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe("convexDeploymentConfig", () => {
  it("is unconfigured without any deployment variable, or with a blank one", () => {
    expect(convexDeploymentConfig(new Map())).toEqual({ configured: false });
    expect(convexDeploymentConfig(new Map([["CONVEX_DEPLOYMENT", ""]]))).toEqual({ configured: false });
  });

  it("recognises CONVEX_DEPLOYMENT, a deploy key and a self-hosted URL", () => {
    expect(convexDeploymentConfig(new Map([["CONVEX_DEPLOYMENT", "anonymous:anonymous-main"]]))).toEqual({
      configured: true,
      via: "CONVEX_DEPLOYMENT",
      deployment: "anonymous:anonymous-main",
    });
    expect(convexDeploymentConfig(new Map([["CONVEX_DEPLOY_KEY", "dev:x|y"]]))).toMatchObject({ via: "CONVEX_DEPLOY_KEY" });
    expect(convexDeploymentConfig(new Map([["CONVEX_SELF_HOSTED_URL", "http://127.0.0.1:3210"]]))).toMatchObject({
      via: "CONVEX_SELF_HOSTED_URL",
    });
  });
});

describe("chooseSetupMode", () => {
  it("goes anonymous without a login", () => {
    expect(chooseSetupMode({ agentMode: undefined, loggedIn: false, interactive: true })).toEqual({ mode: "anonymous", reason: "not_logged_in" });
  });

  it("goes anonymous without a terminal, even when logged in", () => {
    expect(chooseSetupMode({ agentMode: undefined, loggedIn: true, interactive: false })).toEqual({ mode: "anonymous", reason: "not_interactive" });
  });

  it("lets CONVEX_AGENT_MODE=anonymous win over a login", () => {
    expect(chooseSetupMode({ agentMode: "anonymous", loggedIn: true, interactive: true })).toEqual({ mode: "anonymous", reason: "agent_mode" });
  });

  it("uses the account of a logged-in developer at a terminal", () => {
    expect(chooseSetupMode({ agentMode: undefined, loggedIn: true, interactive: true })).toEqual({ mode: "account", reason: "logged_in" });
  });
});
