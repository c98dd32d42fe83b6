import { convexAuth } from "@convex-dev/auth/server";
import { password } from "./users/password";

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [password],
});
