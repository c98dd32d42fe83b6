import { getAuthUserId } from "@convex-dev/auth/server";
import { publicQuery } from "../functions";

/** The signed-in user's profile, or null for anonymous visitors. */
export const get = publicQuery({
  args: {},
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) return null;
    const user = await ctx.db.get(userId);
    return user && { userId: user._id, email: user.email ?? "", name: user.name ?? null };
  },
});
