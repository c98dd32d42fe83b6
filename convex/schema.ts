import { authTables } from "@convex-dev/auth/server";
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { roleValidator } from "./validators";

// Tables owned by features live next to them; this file only assembles them.
export default defineSchema({
  ...authTables,

  organizations: defineTable({
    name: v.string(),
    slug: v.string(),
    createdBy: v.id("users"),
  }).index("by_slug", ["slug"]),

  memberships: defineTable({
    orgId: v.id("organizations"),
    userId: v.id("users"),
    role: roleValidator,
  })
    .index("by_orgId_and_userId", ["orgId", "userId"])
    .index("by_orgId_and_role", ["orgId", "role"])
    .index("by_userId", ["userId"]),

  /** Who did what, when, in an organization. Never deleted with the thing it describes. */
  auditEvents: defineTable({
    orgId: v.id("organizations"),
    action: v.string(),
    actor: v.object({
      kind: v.union(v.literal("user"), v.literal("system"), v.literal("apiKey")),
      id: v.optional(v.string()),
      label: v.optional(v.string()),
    }),
    providerId: v.optional(v.string()),
    subject: v.optional(v.string()),
    details: v.optional(v.record(v.string(), v.union(v.string(), v.number(), v.boolean(), v.null()))),
  })
    .index("by_orgId", ["orgId"])
    .index("by_orgId_and_providerId", ["orgId", "providerId"]),
});
