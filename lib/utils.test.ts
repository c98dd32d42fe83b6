import { describe, expect, it } from "vitest";
import { cn } from "./utils";

describe("cn", () => {
  it("joins class names, skips falsy ones and lets a later Tailwind class win", () => {
    expect(cn("px-2 py-1", false, undefined, "text-sm", "px-4")).toBe("py-1 text-sm px-4");
  });
});
