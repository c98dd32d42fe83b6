import { v } from "convex/values";

/** `owner | admin | member`, mirrored from `lib/roles.ts`. */
export const roleValidator = v.union(v.literal("owner"), v.literal("admin"), v.literal("member"));

/** A connection's lifecycle; "not connected" is the absence of a row. */
export const connectionStatusValidator = v.union(
  v.literal("connected"),
  v.literal("refreshing"),
  v.literal("error"),
  v.literal("disconnected"),
);
