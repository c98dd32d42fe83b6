/** LinkedIn's actions through the step contract, against the simulator's /v2/ugcPosts. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

describe("linkedin actions", () => {
  test("share_post posts as the connected member and answers the URN LinkedIn gives in X-RestLi-Id", async () => {
    const w = await setup(simulatorUrl, "linkedin", { extraScopes: ["w_member_social"] });
    const member = (await w.connection()).accountId;
    expect(member).toBe("sim-linkedin-account");
    const result = await w.runAction("linkedin.share_post", { text: "We shipped 1.2", link: "https://example.com/notes" });
    expect(result).toEqual({ ok: true, output: { id: "urn:li:share:6844785523593134001" }, correlationId: expect.any(String) });
    const [sent] = await w.simulator.apiCalls({ providerId: "linkedin", apiPath: "/v2/ugcPosts" });
    expect(sent).toMatchObject({
      method: "POST",
      query: {},
      body: {
        author: `urn:li:person:${member}`,
        lifecycleState: "PUBLISHED",
        specificContent: {
          "com.linkedin.ugc.ShareContent": {
            shareCommentary: { text: "We shipped 1.2" },
            shareMediaCategory: "ARTICLE",
            media: [{ status: "READY", originalUrl: "https://example.com/notes" }],
          },
        },
        visibility: { "com.linkedin.ugc.MemberNetworkVisibility": "PUBLIC" },
      },
    });
    expect(sent!.headers["x-restli-protocol-version"]).toBe("2.0.0");
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();
  });

  test("LinkedIn's 422 errors land on the input at fault", async () => {
    const w = await setup(simulatorUrl, "linkedin", { extraScopes: ["w_member_social"] });
    expect((await w.runAction("linkedin.share_post", { text: "Same words", visibility: "CONNECTIONS" })).ok).toBe(true);
    const again = await w.runAction("linkedin.share_post", { text: "Same words" });
    expect(again).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "LinkedIn refused the input: Content is a duplicate of urn:li:share:6844785523593134001",
        retryable: false,
        fields: { text: "LinkedIn already has this post; change the text." },
        status: 422,
      },
      correlationId: expect.any(String),
    });
  });

  test("without w_member_social nothing is sent", async () => {
    const bare = await setup(simulatorUrl, "linkedin");
    expect(await bare.runAction("linkedin.share_post", { text: "Hi" })).toMatchObject({
      ok: false,
      error: { code: "missing_scope", message: expect.stringMatching(/grant w_member_social/) },
    });
    expect(await bare.simulator.apiCalls({ providerId: "linkedin" })).toEqual([]);
  });

  test("a 429 is rate_limited with LinkedIn's Retry-After", async () => {
    const w = await setup(simulatorUrl, "linkedin", { extraScopes: ["w_member_social"] });
    await w.simulator.failNext("linkedin", "api", { kind: "rate_limit", retryAfterSeconds: 60 });
    expect(await w.runAction("linkedin.share_post", { text: "Hi" })).toMatchObject({
      ok: false,
      error: { code: "rate_limited", retryable: true, retryAfterMs: 60_000, status: 429 },
    });
  });
});
