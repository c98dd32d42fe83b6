import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  asanaHandshake,
  graphValidation,
  linkedinChallenge,
  MAX_ECHOED_TOKEN_LENGTH,
  notionVerificationToken,
  slackChallenge,
  trelloHead,
  zoomValidation,
} from "./handshakes";

const long = "x".repeat(MAX_ECHOED_TOKEN_LENGTH + 1);

describe("slackChallenge", () => {
  it("echoes the challenge as JSON", () => {
    expect(slackChallenge({ token: "t", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" })).toEqual({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
    });
  });
  it("is not a handshake otherwise", () => {
    for (const body of [{ type: "event_callback", challenge: "c" }, { type: "url_verification" }, { type: "url_verification", challenge: 5 }, { type: "url_verification", challenge: long }, null, "x"]) {
      expect(slackChallenge(body), JSON.stringify(body)).toBeNull();
    }
  });
});

describe("zoomValidation", () => {
  it("answers plainToken with its HMAC under the secret token", async () => {
    const answer = await zoomValidation({ event: "endpoint.url_validation", payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" } }, "secret-token");
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer!.body)).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: createHmac("sha256", "secret-token").update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"),
    });
  });
  it("is not a handshake otherwise", async () => {
    expect(await zoomValidation({ event: "meeting.started", payload: { plainToken: "a" } }, "s")).toBeNull();
    expect(await zoomValidation({ event: "endpoint.url_validation", payload: {} }, "s")).toBeNull();
    expect(await zoomValidation({ event: "endpoint.url_validation", payload: { plainToken: long } }, "s")).toBeNull();
  });
});

describe("asanaHandshake", () => {
  it("echoes X-Hook-Secret and hands it over to keep", () => {
    expect(asanaHandshake({ "x-hook-secret": "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81" })).toEqual({
      answer: { status: 200, headers: { "x-hook-secret": "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81" }, body: "" },
      secret: "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81",
    });
    expect(asanaHandshake({})).toBeNull();
    expect(asanaHandshake({ "x-hook-secret": "" })).toBeNull();
  });
});

describe("graphValidation", () => {
  it("answers the decoded token as plain text that is never sniffed", () => {
    const answer = graphValidation("https://sb.example/webhooks/microsoft/ep_1?validationToken=Validation%3A%20Testing%20client%20application%20reachability%20for%20subscription%20Request-Id%3A%2025");
    expect(answer).toEqual({
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
      body: "Validation: Testing client application reachability for subscription Request-Id: 25",
    });
    expect(graphValidation("https://sb.example/webhooks/microsoft/ep_1")).toBeNull();
    expect(graphValidation(`https://sb.example/x?validationToken=${long}`)).toBeNull();
  });
});

describe("linkedinChallenge", () => {
  it("answers the challenge code with its HMAC under the client secret", async () => {
    const answer = await linkedinChallenge("https://sb.example/webhooks/linkedin?challengeCode=890e4bd7-e3b6-4c1f-9e07-3d3b9b1fa0f6", "client-secret");
    expect(JSON.parse(answer!.body)).toEqual({
      challengeCode: "890e4bd7-e3b6-4c1f-9e07-3d3b9b1fa0f6",
      challengeResponse: createHmac("sha256", "client-secret").update("890e4bd7-e3b6-4c1f-9e07-3d3b9b1fa0f6").digest("hex"),
    });
    expect(answer!.headers["content-type"]).toBe("application/json");
    expect(await linkedinChallenge("https://sb.example/webhooks/linkedin", "s")).toBeNull();
  });
});

describe("trelloHead", () => {
  it("answers HEAD with an empty 200, in any case, and nothing else", () => {
    expect(trelloHead("HEAD")).toEqual({ status: 200, headers: {}, body: "" });
    expect(trelloHead("head")).toEqual({ status: 200, headers: {}, body: "" });
    expect(trelloHead("POST")).toBeNull();
  });
});

describe("notionVerificationToken", () => {
  it("takes the token from a body that holds only it", () => {
    expect(notionVerificationToken({ verification_token: "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl" })).toBe("secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl");
    expect(notionVerificationToken({ verification_token: "a", type: "page.created" })).toBeNull();
    expect(notionVerificationToken({ verification_token: 1 })).toBeNull();
    expect(notionVerificationToken({})).toBeNull();
    expect(notionVerificationToken(undefined)).toBeNull();
  });
});
