import { v } from "convex/values";

/** `owner | admin | member`, mirrored from `lib/roles.ts`. */
export const roleValidator = v.union(v.literal("owner"), v.literal("admin"), v.literal("member"));
