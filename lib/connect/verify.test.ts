import { describe, expect, test } from "vitest";
import type { ProviderRequest, SendOptions, SendResult } from "../http";
import { getProviderOrThrow, type Provider } from "../providers";
import {
  accountOfWebhook,
  buildTestRequest,
  PROVIDER_TEST_MAX_RESPONSE_BYTES,
  PROVIDER_TEST_TIMEOUT_MS,
  readTestAnswer,
  runTestRequest,
  type TestPurpose,
} from "./verify";

describe("accountOfWebhook", () => {
  test("host and a masked path: the first segment and the last four characters, never the secret in between", () => {
    const name = accountOfWebhook(new URL("https://api.pumble.com/workspaces/w123/incomingWebhooks/postMessage/SeCrEtToKeNAb12")).name;
    expect(name).toBe("api.pumble.com/workspaces/…Ab12");
    expect(name).not.toMatch(/w123|SeCrEt|incomingWebhooks/);
  });
  test("a one-segment path is masked whole but for its end; a bare host is the host", () => {
    expect(accountOfWebhook(new URL("https://hooks.example.com/abcdefghijkl")).name).toBe("hooks.example.com/…ijkl");
    expect(accountOfWebhook(new URL("https://hooks.example.com/")).name).toBe("hooks.example.com");
    expect(accountOfWebhook(new URL("http://127.0.0.1:3400/pumble/workspaces/x/y")).id).toBe("127.0.0.1:3400");
  });
});

/** A provider answer as the transport reports it. */
const answer = (status: number, body: unknown = {}): SendResult => ({
  kind: "response",
  status,
  headers: new Headers(),
  body: typeof body === "string" ? body : JSON.stringify(body),
  bodyTruncated: false,
  retryAfterSeconds: undefined,
});
const creds = (secrets: Record<string, string>, config: Record<string, string> = {}) => ({ secrets, config });
const built = (provider: Provider, credentials: ReturnType<typeof creds>, purpose: TestPurpose = "test") => {
  const result = buildTestRequest(provider, credentials, purpose);
  if (!result.ok) throw new Error(`not built: ${result.message}`);
  return result;
};
const github = getProviderOrThrow("github");
const GITHUB_USER = new URL("https://api.github.com/user");

describe("buildTestRequest", () => {
  test("GitHub: GET /user under the API base, with the token and the provider's headers, no body", () => {
    const { request, test: spec } = built(github, creds({ accessToken: "gho_1" }), "verify");
    expect(request).toMatchObject({ purpose: "verify", method: "GET", body: undefined });
    expect(request.url.href).toBe("https://api.github.com/user");
    expect(request.headers.get("Authorization")).toBe("Bearer gho_1");
    expect(request.headers.get("X-GitHub-Api-Version")).toBe("2022-11-28");
    expect(request.headers.has("Content-Type")).toBe(false);
    expect(spec).toBe("test" in github ? github.test : undefined);
  });

  test("Linear: its GraphQL query is POSTed as JSON", () => {
    const linear = getProviderOrThrow("linear");
    const { request } = built(linear, creds({ accessToken: "lin_1" }), "keep_alive");
    expect(request).toMatchObject({ purpose: "keep_alive", method: "POST" });
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(request.body!)).toEqual(linear.authKind === "oauth2" && linear.test.body);
  });

  test("WordPress: under the site the connection found, with Basic credentials", () => {
    const wordpress = getProviderOrThrow("wordpress");
    const { request } = built(wordpress, creds({ applicationPassword: "pw" }, { username: "ed", apiBaseUrl: "https://blog.example/wp-json" }));
    expect(request.url.href).toBe("https://blog.example/wp-json/wp/v2/users/me?context=edit");
    expect(request.headers.get("Authorization")).toBe(`Basic ${btoa("ed:pw")}`);
  });

  test("a connection without an API address, or whose test path leaves it, sends nothing and says why", () => {
    const wordpress = getProviderOrThrow("wordpress");
    expect(buildTestRequest(wordpress, creds({ applicationPassword: "pw" }, { username: "ed" }), "test")).toEqual({
      ok: false,
      message: "WordPress has no API address for this connection.",
    });
    const withQuery = buildTestRequest(wordpress, creds({}, { apiBaseUrl: "https://blog.example/wp-json?x=1" }), "test");
    expect(withQuery).toEqual({ ok: false, message: "This connection has no valid API address." });
  });

  test("a webhook: the sample payload as JSON to the webhook URL with POST, and nothing to read an account from", () => {
    const pumble = getProviderOrThrow("pumble");
    const target = "https://api.pumble.com/workspaces/w/incomingWebhooks/postMessage/k";
    const { request, test: spec } = built(pumble, creds({ webhookUrl: target }));
    expect(request).toMatchObject({ purpose: "test", method: "POST" });
    expect(request.url.href).toBe(target);
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(request.body!)).toEqual({ text: "Switchboard is connected to this channel." });
    expect(spec).toBeNull();
  });

  test("a custom webhook uses the method the user chose (only POST, PUT or PATCH) and its auth header", () => {
    const custom = getProviderOrThrow("custom-webhook");
    const values = { authMode: "bearer", method: "PUT" };
    const { request } = built(custom, creds({ url: "https://hooks.example/x", bearerToken: "t0k" }, values));
    expect(request.method).toBe("PUT");
    expect(request.headers.get("Authorization")).toBe("Bearer t0k");
    expect(built(custom, creds({ url: "https://hooks.example/x" }, { method: "DELETE" })).request.method).toBe("POST");
    expect(built(custom, creds({ url: "https://hooks.example/x" }, {})).request.method).toBe("POST");
  });

  test("the webhook URL may come from the config; a missing or unparsable one sends nothing", () => {
    const pumble = getProviderOrThrow("pumble");
    expect(built(pumble, creds({}, { webhookUrl: "https://api.pumble.com/workspaces/w/x" })).request.url.host).toBe("api.pumble.com");
    for (const webhookUrl of [undefined, "", "not a url"]) {
      const secrets: Record<string, string> = webhookUrl === undefined ? {} : { webhookUrl };
      expect(buildTestRequest(pumble, creds(secrets), "test")).toEqual({ ok: false, message: "The webhook URL is missing." });
    }
  });

  test("incomplete custom webhook auth settings send nothing and name what is missing", () => {
    const custom = getProviderOrThrow("custom-webhook");
    expect(buildTestRequest(custom, creds({ url: "https://hooks.example/x" }, { authMode: "bearer" }), "test")).toEqual({
      ok: false,
      message: '"bearerToken" is required for this authentication mode.',
    });
  });
});

describe("readTestAnswer", () => {
  const read = (result: SendResult, provider: Provider = github) =>
    readTestAnswer(provider, "test" in provider ? provider.test : null, GITHUB_USER, result);

  test("the account the answer names", () => {
    expect(read(answer(200, { id: 42, login: "octo" }))).toEqual({ ok: true, status: 200, account: { id: "42", name: "octo" } });
  });

  test("no answer says whether the provider was too slow or unreachable", () => {
    expect(read({ kind: "timeout" })).toEqual({ ok: false, reason: "network", status: null, message: "GitHub did not answer in time." });
    expect(read({ kind: "network_error" })).toEqual({ ok: false, reason: "network", status: null, message: "GitHub could not be reached." });
  });

  test("401, and Slack's 200 with a dead-token error, refuse the credential", () => {
    expect(read(answer(401))).toEqual({ ok: false, reason: "unauthorized", status: 401, message: "GitHub refused the credentials." });
    const slack = read(answer(200, { ok: false, error: "token_revoked" }), getProviderOrThrow("slack"));
    expect(slack).toMatchObject({ ok: false, reason: "unauthorized", status: 200 });
  });

  test("429 and 5xx mean try later, with the status", () => {
    for (const status of [429, 500, 503]) {
      expect(read(answer(status))).toEqual({ ok: false, reason: "unavailable", status, message: `GitHub is unavailable (HTTP ${status}).` });
    }
  });

  test("403 means the credential works but lacks a permission", () => {
    expect(read(answer(403))).toEqual({
      ok: false,
      reason: "bad_response",
      status: 403,
      message: "GitHub answered HTTP 403: the credential works but is not allowed to do this.",
    });
  });

  test("a redirect or another 4xx is an answer that cannot be used", () => {
    for (const status of [300, 302, 404, 422]) {
      expect(read(answer(status))).toEqual({ ok: false, reason: "bad_response", status, message: `GitHub answered HTTP ${status}.` });
    }
    expect(read(answer(299, { id: 1 }))).toMatchObject({ ok: true, status: 299 });
  });

  test("an answer that is not JSON, or names no account, is a bad response", () => {
    expect(read(answer(200, "<html>"))).toEqual({
      ok: false,
      reason: "bad_response",
      status: 200,
      message: "GitHub answered something that is not JSON.",
    });
    expect(read(answer(200, { login: "octo" }))).toEqual({
      ok: false,
      reason: "bad_response",
      status: 200,
      message: "GitHub did not say which account this is.",
    });
  });

  test("Slack's ok:false with another error is reported with its code", () => {
    expect(read(answer(200, { ok: false, error: "missing_scope" }), getProviderOrThrow("slack"))).toEqual({
      ok: false,
      reason: "bad_response",
      status: 200,
      message: "Slack answered missing_scope.",
    });
  });

  test("a webhook that accepted the delivery is named by its host and masked path", () => {
    const pumble = getProviderOrThrow("pumble");
    const url = new URL("https://api.pumble.com/workspaces/w1/incomingWebhooks/postMessage/Ab12Cd34");
    expect(readTestAnswer(pumble, null, url, answer(200, "ok"))).toEqual({
      ok: true,
      status: 200,
      account: { id: "api.pumble.com", name: "api.pumble.com/workspaces/…Cd34" },
    });
  });
});

describe("runTestRequest", () => {
  test("sends the built request once, with the test's time limit and size cap, and reads its answer", async () => {
    const sent: Array<{ request: ProviderRequest; options: SendOptions | undefined }> = [];
    const outcome = await runTestRequest(github, creds({ accessToken: "gho_1" }), "test", async (request, options) => {
      sent.push({ request, options });
      return answer(200, { id: 7, login: "octo" });
    });
    expect(outcome).toEqual({ ok: true, status: 200, account: { id: "7", name: "octo" } });
    expect(sent).toHaveLength(1);
    expect(sent[0].request.url.href).toBe("https://api.github.com/user");
    expect(sent[0].options).toEqual({ timeoutMs: 15_000, maxResponseBytes: 262_144 });
    expect([PROVIDER_TEST_TIMEOUT_MS, PROVIDER_TEST_MAX_RESPONSE_BYTES]).toEqual([15_000, 262_144]);
  });

  test("a request that cannot be built is misconfigured, and nothing is sent", async () => {
    const outcome = await runTestRequest(getProviderOrThrow("pumble"), creds({}), "test", async () => {
      throw new Error("sent");
    });
    expect(outcome).toEqual({ ok: false, reason: "misconfigured", status: null, message: "The webhook URL is missing." });
  });
});
