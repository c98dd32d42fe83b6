import { describe, expect, it, vi } from "vitest";
import { appLogger } from "./convex-logger";

function fakeConsole() {
  return { log: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
}

describe("appLogger", () => {
  it("logs a function's typed error (a ConvexError the UI shows) as information", () => {
    const target = fakeConsole();
    const message =
      '[CONVEX M(orgs/members:add)] [Request ID: 0123456789abcdef] Server Error\nUncaught ConvexError: {"code":"CONFLICT","message":"Already a member."}';
    appLogger(target).error(message);
    expect(target.info).toHaveBeenCalledWith(message);
    expect(target.error).not.toHaveBeenCalled();
  });

  it("keeps console.error for anything else", () => {
    const target = fakeConsole();
    const logger = appLogger(target);
    logger.error("[CONVEX A(integrations/connections:test)] [Request ID: 1] Server Error\nUncaught Error: boom");
    logger.error("[CONVEX FATAL ERROR] socket closed");
    logger.error(new Error("Uncaught ConvexError"));
    expect(target.error).toHaveBeenCalledTimes(3);
    expect(target.info).not.toHaveBeenCalled();
  });

  it("passes the other levels through", () => {
    const target = fakeConsole();
    const logger = appLogger(target);
    logger.log("a", 1);
    logger.warn("b");
    logger.logVerbose("c");
    expect(target.log).toHaveBeenCalledWith("a", 1);
    expect(target.warn).toHaveBeenCalledWith("b");
    expect(target.debug).toHaveBeenCalledWith("c");
  });
});
