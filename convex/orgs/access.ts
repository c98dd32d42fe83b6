import { v } from "convex/values";
import { roleValidator } from "../shared/validators";
import { getMembershipOrThrow, internalQuery } from "../functions";

/** The membership check `orgAction` runs before its handler. */
export const check = internalQuery({
  args: { orgId: v.id("organizations"), userId: v.id("users"), role: roleValidator },
  handler: async (ctx, { orgId, userId, role }) => getMembershipOrThrow(ctx, orgId, userId, role),
});
