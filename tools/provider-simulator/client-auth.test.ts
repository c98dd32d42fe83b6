import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getProviderOrThrow } from "../../lib/providers/index";
import { basicClientCredentials, basicUserCredentials, type SimRequest } from "./http-utils";
import { startSimulator, type RunningSimulator } from "./server";
import {
  authorizeUrl,
  callTest,
  clientBasicAuthorization,
  connect,
  defaultClient,
  formUrlEncode,
  getManual,
  oauthProvider,
  pkcePair,
  redirectParams,
  refresh,
  TEST_REDIRECT_URI,
  tokenRequest,
  userBasicAuthorization,
} from "./testing";
import type { ClientConfig } from "./state";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

// Every character RFC 6749's form encoding changes: "%", "+", "/", "=", a space, non-ASCII.
// "%2B" and "+" make the unencoded form decode to a different secret ("+" and a space).
const ODD_CLIENT: ClientConfig = { clientId: "sim zoom:client/ü", clientSecret: "s3cr%2Bt+/= ü€" };

/** Basic with the pair base64-encoded as it is, skipping RFC 6749's form encoding. */
function rawBasic(client: ClientConfig): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`, "utf8").toString("base64")}`;
}

function base64(text: string | Buffer): string {
  return Buffer.from(text).toString("base64");
}

function withAuthorization(authorization: string): SimRequest {
  return { headers: { authorization } } as unknown as SimRequest;
}

/** A fresh code for a client (auto-approve), with the verifier when the catalog says pkce. */
async function codeFor(providerId: string, client: ClientConfig) {
  const provider = oauthProvider(providerId, sim.url);
  const pkce = pkcePair();
  const response = await getManual(
    authorizeUrl(provider, { client, codeChallenge: provider.pkce ? pkce.challenge : null }),
  );
  const code = redirectParams(response).get("code");
  if (!code) throw new Error(`no code: ${response.headers.get("location")}`);
  const params: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI };
  if (provider.pkce) params.code_verifier = pkce.verifier;
  return { provider, params };
}

/** A token request authenticated with the given Authorization header and the catalog's other headers. */
function tokenRequestWith(
  provider: ReturnType<typeof oauthProvider>,
  params: Record<string, string>,
  authorization: string,
) {
  return tokenRequest(provider, params, {
    auth: "none",
    headers: { accept: "application/json", ...provider.tokenRequestHeaders, authorization },
  });
}

describe("the two Basic decoders", () => {
  it("client credentials are form-urldecoded: '+' is a space, escapes are UTF-8", () => {
    const header = `Basic ${base64("a%3Ab+c:%2B%25%2F%3D+%C3%BC")}`;
    expect(basicClientCredentials(withAuthorization(header))).toEqual({
      kind: "credentials",
      username: "a:b c",
      password: "+%/= ü",
    });
  });

  it("user credentials are plain UTF-8, split at the first ':'", () => {
    const header = `Basic ${base64("ed+itor:pa%2Bss:wörd")}`;
    expect(basicUserCredentials(withAuthorization(header))).toEqual({
      kind: "credentials",
      username: "ed+itor",
      password: "pa%2Bss:wörd",
    });
  });

  it("the client encoder and decoder agree on every odd character", () => {
    const decoded = basicClientCredentials(withAuthorization(clientBasicAuthorization(ODD_CLIENT)));
    expect(decoded).toEqual({ kind: "credentials", username: ODD_CLIENT.clientId, password: ODD_CLIENT.clientSecret });
    expect(formUrlEncode(ODD_CLIENT.clientSecret)).toBe("s3cr%252Bt%2B%2F%3D+%C3%BC%E2%82%AC");
  });

  it.each([
    ["no token", "Basic"],
    ["two tokens", "Basic YTpi YTpi"],
    ["characters outside base64", "Basic !!!!"],
    ["bad padding", "Basic YTpiYw"],
    ["no colon", `Basic ${base64("sim-zoom-client")}`],
    ["bytes that are not UTF-8", `Basic ${base64(Buffer.from([0x61, 0x3a, 0xff, 0xfe]))}`],
  ])("%s is malformed for both", (_name, header) => {
    expect(basicUserCredentials(withAuthorization(header)).kind).toBe("malformed");
    expect(basicClientCredentials(withAuthorization(header)).kind).toBe("malformed");
  });

  it("a broken percent-escape is malformed for a client, fine for a user", () => {
    const header = `Basic ${base64("sim-zoom-client:100%zz")}`;
    expect(basicClientCredentials(withAuthorization(header)).kind).toBe("malformed");
    expect(basicUserCredentials(withAuthorization(header))).toMatchObject({ password: "100%zz" });
  });

  it("another scheme, or no header, is absent", () => {
    expect(basicClientCredentials(withAuthorization("Bearer abc")).kind).toBe("absent");
    expect(basicClientCredentials({ headers: {} } as unknown as SimRequest).kind).toBe("absent");
  });
});

describe("token endpoint: Basic client credentials per RFC 6749 §2.3.1", () => {
  it("a client whose id and secret need encoding connects and refreshes when it encodes them", async () => {
    sim.control.setClient("zoom", ODD_CLIENT);
    const { provider, refreshToken, accessToken } = await connect(sim.url, "zoom", { client: ODD_CLIENT });
    expect((await callTest(provider, accessToken)).status).toBe(200);
    expect(await refresh(provider, refreshToken!, { client: ODD_CLIENT })).toMatchObject({ status: 200 });
  });

  it("the same client is refused with invalid_client when it base64-encodes the raw pair", async () => {
    sim.control.setClient("zoom", ODD_CLIENT);
    const { provider, params } = await codeFor("zoom", ODD_CLIENT);
    const refused = await tokenRequestWith(provider, params, rawBasic(ODD_CLIENT));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    expect(await refused.json()).toMatchObject({
      error: "invalid_client",
      error_description: "Wrong client credentials.",
    });
    // The refusal came before the code was looked at: the encoded request can still use it.
    const accepted = await tokenRequestWith(provider, params, clientBasicAuthorization(ODD_CLIENT));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ access_token: expect.any(String) });
  });

  it("a raw refresh is refused too, and Slack refuses it its own way (200 ok:false)", async () => {
    const slackClient = { ...ODD_CLIENT, clientId: "sim-slack-client" };
    sim.control.setClient("slack", slackClient);
    sim.control.setRotation("slack", true);
    const { provider, refreshToken } = await connect(sim.url, "slack", { client: slackClient });
    const raw = await tokenRequestWith(
      provider,
      { grant_type: "refresh_token", refresh_token: refreshToken! },
      rawBasic(slackClient),
    );
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject({ ok: false, error: "invalid_client_id" });
    expect(await refresh(provider, refreshToken!, { client: slackClient })).toMatchObject({ body: { ok: true } });
  });

  it("the default clients are the same encoded or not (only unreserved characters)", async () => {
    const zoom = defaultClient("zoom");
    expect(clientBasicAuthorization(zoom)).toBe(rawBasic(zoom));
  });
});

describe("revocation: the same decoder for revoke.clientAuth basic", () => {
  async function revoke(token: string, authorization: string) {
    return fetch(oauthProvider("zoom", sim.url).revoke!.url, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
  }

  it("Zoom refuses the raw pair with a Basic challenge and accepts the encoded one", async () => {
    sim.control.setClient("zoom", ODD_CLIENT);
    const { provider, accessToken } = await connect(sim.url, "zoom", { client: ODD_CLIENT });
    const refused = await revoke(accessToken, rawBasic(ODD_CLIENT));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });
    expect((await callTest(provider, accessToken)).status).toBe(200);

    expect((await revoke(accessToken, clientBasicAuthorization(ODD_CLIENT))).status).toBe(200);
    expect((await callTest(provider, accessToken)).status).toBe(401);
  });

  it("a malformed Basic header is invalid_client, not a crash", async () => {
    const { accessToken } = await connect(sim.url, "zoom");
    const response = await revoke(accessToken, "Basic %%%");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});

describe("malformed Basic headers at the token endpoint", () => {
  const MALFORMED = [
    "Basic",
    "Basic !!!!",
    "Basic YTpiYw",
    `Basic ${base64("sim-zoom-client")}`,
    `Basic ${base64(Buffer.from([0x61, 0x3a, 0xff]))}`,
    `Basic ${base64("sim-zoom-client:%zz")}`,
    "Basic YTpi YTpi",
  ];

  it.each(MALFORMED)("standard style (Zoom): %s → 401 invalid_client with WWW-Authenticate: Basic", async (header) => {
    const { provider, params } = await codeFor("zoom", defaultClient("zoom"));
    const response = await tokenRequestWith(provider, params, header);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
    // Still serving, and the code was not spent by the refused request.
    expect((await tokenRequestWith(provider, params, clientBasicAuthorization(defaultClient("zoom")))).status).toBe(
      200,
    );
  });

  it("Slack style: a malformed header is 200 ok:false invalid_client_id", async () => {
    const { provider, params } = await codeFor("slack", defaultClient("slack"));
    const response = await tokenRequestWith(provider, params, "Basic !!!!");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, error: "invalid_client_id" });
  });

  it("no Authorization at all still challenges Basic where the catalog wants Basic", async () => {
    const { provider, params } = await codeFor("reddit", defaultClient("reddit"));
    const response = await tokenRequest(provider, params, { auth: "none" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="/);
  });
});

describe("WordPress user credentials are not form-decoded (RFC 7617)", () => {
  const wordpress = getProviderOrThrow("wordpress");

  it("a password with '+' and '%2B' works as typed, and not form-encoded", async () => {
    sim.control.addWordPressUser("ed+itor", "ab%2Bcd+ef");
    const credentials = { siteUrl: sim.control.siteUrl("wordpress") };
    const asTyped = await callTest(
      wordpress,
      { username: "ed+itor", applicationPassword: "ab%2Bcd+ef" },
      { credentials },
    );
    expect(asTyped.status).toBe(200);
    const encoded = await fetch(`${sim.url}/wordpress/wp-json/wp/v2/users/me`, {
      headers: { authorization: userBasicAuthorization(formUrlEncode("ed+itor"), formUrlEncode("ab%2Bcd+ef")) },
    });
    expect(encoded.status).toBe(401);
  });
});
