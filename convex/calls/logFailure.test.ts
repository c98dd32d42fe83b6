/**
 * A call whose log write fails still answers: the provider already did what was
 * asked (a POST that created something), so its answer must reach the caller. The
 * log store is made to fail here by replacing the record mutation.
 */
import { afterEach, describe, expect, inject, test, vi } from "vitest";
import { LOG_RETRY_DELAY_MS } from "../shared/providerHttp";
import { worldPerTest } from "./test.world";

const failures = vi.hoisted(() => ({ left: 0, attempts: 0 }));

vi.mock("./logs", async (importOriginal) => {
  const real = await importOriginal<typeof import("./logs")>();
  const { internalMutation } = await import("../functions");
  const { callLogFields } = await import("./validators");
  return {
    ...real,
    record: internalMutation({
      args: callLogFields,
      handler: async (ctx, row) => {
        failures.attempts += 1;
        if (failures.left > 0) {
          failures.left -= 1;
          throw new Error("log store unavailable");
        }
        await ctx.db.insert("callLogs", row);
        return null;
      },
    }),
  };
});

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
afterEach(() => {
  vi.useRealTimers();
});

describe("a failed log write", () => {
  test("never costs the caller the provider's answer, and the row is written later", async () => {
    // A fake clock (that still moves) to bring the background retry forward.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const w = await setup(simulatorUrl, "github");
    const before = (await w.logs()).length;
    failures.left = 2;
    failures.attempts = 0;
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const posts = async () =>
      (await w.simulator.requests({ providerId: "github" })).filter((r) => r.method === "POST" && r.path === "/github/repos/acme/app/issues").length;
    const answer = await w.call({ method: "POST", path: "/repos/acme/app/issues", body: JSON.stringify({ title: "Bug" }) });
    expect(answer.status).toBe(200);
    // Sent once: the failure after the answer did not make the call look failed and be retried.
    expect(await posts()).toBe(1);
    expect(failures.attempts).toBe(2);
    expect(errors.mock.calls.flat().join(" ")).toContain(answer.correlationId);
    vi.advanceTimersByTime(LOG_RETRY_DELAY_MS + 1_000);
    await w.t.finishInProgressScheduledFunctions();
    const rows = await w.logs();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toMatchObject({ correlationId: answer.correlationId, status: 200 });
    errors.mockRestore();
  });
});
