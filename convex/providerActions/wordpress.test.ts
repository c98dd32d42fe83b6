/** WordPress's actions through the step contract, against the simulator's REST API under the site. */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const EDITOR_PASSWORD = "simP ass0 rdAb cdEf ghIj klMn";

/** An org connected to the simulated site as `username` (the simulator's default editor unless given). */
async function connectedSite(username = "sim-editor", applicationPassword = EDITOR_PASSWORD): Promise<World> {
  const w = await setup(simulatorUrl, "");
  if (username !== "sim-editor") await w.simulator.addWordPressUser(username, applicationPassword);
  await w.admin.as.action(api.integrations.credentials.connect, {
    orgId: w.orgId,
    providerId: "wordpress",
    values: { siteUrl: await w.simulator.siteUrl("wordpress"), username, applicationPassword },
  });
  return w;
}

describe("wordpress actions", () => {
  test("create_post writes the post with Basic auth under /wp-json and answers its id, link and status", async () => {
    const w = await connectedSite();
    const result = await w.runAction("wordpress.create_post", { title: "Release 1.2", content: "<p>Faster</p>", status: "publish", categories: [2, 999], excerpt: "Faster." });
    expect(result).toEqual({
      ok: true,
      output: { id: 101, url: expect.stringMatching(/\/wordpress\/\d{4}\/\d{2}\/\d{2}\/release-1-2\/$/), status: "publish" },
      correlationId: expect.any(String),
    });
    const draft = await w.runAction("wordpress.create_post", { title: "Notes", content: "" });
    expect(draft).toMatchObject({ ok: true, output: { id: 102, url: `${simulatorUrl}/wordpress/?p=102`, status: "draft" } });

    const calls = await w.simulator.apiCalls({ providerId: "wordpress", apiPath: "/wp/v2/posts" });
    expect(calls.map(({ method, query, body }) => ({ method, query, body }))).toEqual([
      { method: "POST", query: {}, body: { title: "Release 1.2", content: "<p>Faster</p>", status: "publish", categories: [2, 999], excerpt: "Faster." } },
      { method: "POST", query: {}, body: { title: "Notes", content: "", status: "draft" } },
    ]);
    expect(calls[0]!.headers["content-type"]).toBe("application/json");
    expect(calls[0]!.headers.authorization).toBeUndefined();
    const world = (await w.simulator.world("wordpress")) as { posts: Array<{ categories: number[] }> };
    expect(world.posts.map((post) => post.categories)).toEqual([[2], [1]]);
  });

  test("WordPress's refusals map to the input or the user's role", async () => {
    const contributor = await connectedSite("contributor-ann", "abcd efgh ijkl mnop qrst uvwx");
    const published = await contributor.runAction("wordpress.create_post", { title: "Mine", content: "x", status: "publish" });
    expect(published).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "WordPress refused the input: Sorry, you are not allowed to publish posts in this post type.",
        retryable: false,
        fields: { status: "This WordPress user may only save drafts; choose draft." },
        providerCode: "rest_cannot_publish",
        status: 403,
      },
      correlationId: expect.any(String),
    });
    expect(await contributor.runAction("wordpress.create_post", { title: "Mine", content: "x" })).toMatchObject({ ok: true, output: { status: "draft" } });
  });

  test("a subscriber may not create posts at all", async () => {
    const w = await connectedSite("subscriber-sam", "abcd efgh ijkl mnop qrst uvwx");
    expect(await w.runAction("wordpress.create_post", { title: "Mine", content: "x" })).toMatchObject({
      ok: false,
      error: { code: "missing_scope", providerCode: "rest_cannot_create", status: 403 },
    });
  });

  test("the category lookup pages 100 at a time by X-WP-TotalPages", async () => {
    const w = await connectedSite();
    const first = await w.runAction("wordpress.list_categories", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(100);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: "2", label: "News & Events" },
      { value: "3", label: "Topic 003" },
    ]);
    expect(first.output.nextCursor).toBe("2");
    const second = await w.runAction("wordpress.list_categories", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(50);
    expect(second.output.options.at(-1)).toEqual({ value: "1", label: "Uncategorized" });
    expect(second.output.nextCursor).toBeUndefined();
    const past = await w.runAction("wordpress.list_categories", { cursor: "3" });
    expect(past).toMatchObject({ ok: false, error: { code: "invalid_input", providerCode: "rest_post_invalid_page_number", fields: { cursor: expect.any(String) } } });
    const calls = await w.simulator.apiCalls({ providerId: "wordpress", apiPath: "/wp/v2/categories" });
    expect(calls.map((call) => call.query)).toEqual([
      { per_page: "100", page: "1" },
      { per_page: "100", page: "2" },
      { per_page: "100", page: "3" },
    ]);
  });
});
