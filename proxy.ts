import {
  convexAuthNextjsMiddleware,
  createRouteMatcher,
  nextjsMiddlewareRedirect,
} from "@convex-dev/auth/nextjs/server";

const isSignInPage = createRouteMatcher(["/signin"]);
// The OAuth callback checks the session itself so it can answer the popup with a
// message instead of a redirect; everything else of the app needs a session.
const isPublic = createRouteMatcher(["/signin", "/api/integrations/(.*)"]);

export default convexAuthNextjsMiddleware(
  async (request, { convexAuth }) => {
    const signedIn = await convexAuth.isAuthenticated();
    if (isSignInPage(request) && signedIn) {
      return nextjsMiddlewareRedirect(request, "/orgs");
    }
    if (!isPublic(request) && !signedIn) {
      const next = request.nextUrl.pathname + request.nextUrl.search;
      return nextjsMiddlewareRedirect(request, next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(next)}`);
    }
  },
  // We sign in with passwords only; a `?code=` belongs to a provider's OAuth
  // callback, never to Convex Auth.
  { shouldHandleCode: false },
);

export const config = {
  // Everything but static files and Next internals.
  matcher: ["/((?!.*\\..*|_next).*)", "/", "/(api|trpc)(.*)"],
};
