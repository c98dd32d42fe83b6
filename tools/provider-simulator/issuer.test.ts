import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog } from "../../lib/providers/index";
import { connectSimulator } from "./control-client";
import { startSimulator, type RunningSimulator } from "./server";
import { authorizeUrl, getManual, oauthProvider, pkcePair, redirectParams, type AuthorizeOptions } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

/** The authorization response's query for an authorize request built from the catalog. */
async function authorizationResponse(providerId: string, options: AuthorizeOptions = {}): Promise<URLSearchParams> {
  const provider = oauthProvider(providerId, sim.url);
  const codeChallenge = provider.pkce ? pkcePair().challenge : null;
  const response = await getManual(authorizeUrl(provider, { codeChallenge, ...options }));
  expect(response.status).toBe(302);
  return redirectParams(response);
}

/** The issuer the catalog documents, as resolveEndpoints puts it on this simulator. */
const documentedIssuer = (providerId: string) => oauthProvider(providerId, sim.url).issuer?.value;

describe("iss in authorization responses (RFC 9207)", () => {
  it("Google documents its issuer: the code redirect carries it, resolved onto the simulator", async () => {
    for (const id of ["gmail", "google-calendar"]) {
      expect(documentedIssuer(id)).toBe(`${sim.url}/${id}`);
      const query = await authorizationResponse(id);
      expect(query.get("code")).toBeTruthy();
      expect(query.get("iss")).toBe(documentedIssuer(id));
    }
  });

  it("only entries with an issuer send one", async () => {
    const withIssuer = catalog.filter((p) => p.authKind === "oauth2" && p.issuer).map((p) => p.id);
    expect(withIssuer.sort()).toEqual(["gmail", "google-calendar"]);
    const query = await authorizationResponse("zoom");
    expect(query.get("code")).toBeTruthy();
    expect(query.has("iss")).toBe(false);
  });

  it("error redirects carry it too: a refused request, a queued failure, a denied consent", async () => {
    const refused = await authorizationResponse("gmail", { params: { scope: "https://mail.example/nope" } });
    expect(refused.get("error")).toBe("invalid_scope");
    expect(refused.get("iss")).toBe(documentedIssuer("gmail"));

    sim.control.failNext("gmail", "authorize", { kind: "oauth_error", error: "temporarily_unavailable" });
    const failed = await authorizationResponse("gmail");
    expect(failed.get("error")).toBe("temporarily_unavailable");
    expect(failed.get("iss")).toBe(documentedIssuer("gmail"));

    sim.control.setAutoApprove(false);
    const gmail = oauthProvider("gmail", sim.url);
    const page = await getManual(authorizeUrl(gmail, { codeChallenge: pkcePair().challenge }));
    const consentId = /name="id" value="([^"]+)"/.exec(await page.text())?.[1];
    const denied = await fetch(`${sim.url}/_consent`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: consentId!, decision: "deny" }),
    });
    const query = redirectParams(denied);
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("iss")).toBe(documentedIssuer("gmail"));
  });
});

describe("issuerNext", () => {
  it('"right" on a provider without an issuer entry: the simulator\'s base URL for it, once', async () => {
    sim.control.issuerNext("zoom", "right");
    expect((await authorizationResponse("zoom")).get("iss")).toBe(`${sim.url}/zoom`);
    expect((await authorizationResponse("zoom")).has("iss")).toBe(false);
  });

  it('"right" on Google is its documented issuer', async () => {
    sim.control.issuerNext("gmail", "right");
    expect((await authorizationResponse("gmail")).get("iss")).toBe(documentedIssuer("gmail"));
  });

  it('"wrong" is another URL, on a provider with or without an issuer entry', async () => {
    sim.control.issuerNext("gmail", "wrong");
    sim.control.issuerNext("slack", "wrong");
    for (const id of ["gmail", "slack"]) {
      const query = await authorizationResponse(id);
      const iss = query.get("iss")!;
      expect(query.get("code")).toBeTruthy();
      expect(URL.canParse(iss)).toBe(true);
      expect(iss).not.toBe(documentedIssuer(id) ?? `${sim.url}/${id}`);
      expect(iss.startsWith(`${sim.url}/${id}`)).toBe(false);
    }
  });

  it('"none" leaves iss out even where the catalog documents one', async () => {
    sim.control.issuerNext("google-calendar", "none");
    const query = await authorizationResponse("google-calendar");
    expect(query.get("code")).toBeTruthy();
    expect(query.has("iss")).toBe(false);
    expect((await authorizationResponse("google-calendar")).get("iss")).toBe(documentedIssuer("google-calendar"));
  });

  it("reaches error redirects, and is used `times` times, in order", async () => {
    sim.control.issuerNext("zoom", "wrong", 2);
    sim.control.issuerNext("zoom", "right");
    const refused = await authorizationResponse("zoom", { params: { response_type: "token" } });
    expect(refused.get("error")).toBe("unsupported_response_type");
    expect(refused.get("iss")).toContain("_wrong-issuer");
    expect((await authorizationResponse("zoom")).get("iss")).toContain("_wrong-issuer");
    expect((await authorizationResponse("zoom")).get("iss")).toBe(`${sim.url}/zoom`);
    expect((await authorizationResponse("zoom")).has("iss")).toBe(false);
  });

  it("is used by the consent answer, not by the consent page or an error page", async () => {
    sim.control.setAutoApprove(false);
    sim.control.issuerNext("linear", "wrong");
    const linear = oauthProvider("linear", sim.url);
    const errorPage = await getManual(authorizeUrl(linear, { client: { clientId: "nobody", clientSecret: "x" } }));
    expect(errorPage.status).toBe(400);
    const page = await getManual(authorizeUrl(linear, { codeChallenge: pkcePair().challenge }));
    expect(page.status).toBe(200);
    const consentId = /name="id" value="([^"]+)"/.exec(await page.text())?.[1];
    const approved = await fetch(`${sim.url}/_consent`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: consentId!, decision: "approve" }),
    });
    const query = redirectParams(approved);
    expect(query.get("code")).toBeTruthy();
    expect(query.get("iss")).toContain("_wrong-issuer");
  });

  it("is per provider, and reset forgets it", async () => {
    sim.control.issuerNext("zoom", "right");
    expect((await authorizationResponse("jira")).has("iss")).toBe(false);
    sim.control.reset();
    sim.control.setAutoApprove(true);
    expect((await authorizationResponse("zoom")).has("iss")).toBe(false);
  });

  it("refuses what it cannot play", () => {
    const bad: Array<() => void> = [
      () => sim.control.issuerNext("zoom", "maybe" as never),
      () => sim.control.issuerNext("zoom", "right", 0),
      () => sim.control.issuerNext("myspace", "right"),
      () => sim.control.issuerNext("wordpress", "right"),
    ];
    for (const call of bad) expect(call).toThrow();
  });

  it("works from another process: the control client and POST /_control/issuerNext", async () => {
    await connectSimulator(sim.url).issuerNext("gmail", "none", 1);
    expect((await authorizationResponse("gmail")).has("iss")).toBe(false);

    const posted = await fetch(`${sim.url}/_control/issuerNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", "right", 2] }),
    });
    expect(await posted.json()).toEqual({ result: null });
    expect((await authorizationResponse("zoom")).get("iss")).toBe(`${sim.url}/zoom`);
    expect((await authorizationResponse("zoom")).get("iss")).toBe(`${sim.url}/zoom`);

    const refused = await fetch(`${sim.url}/_control/issuerNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", "wrongish"] }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/mode must be one of right, wrong, none/);
  });
});
