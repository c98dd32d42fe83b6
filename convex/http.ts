import { httpRouter } from "convex/server";
import { auth } from "./auth";
import { dispatch } from "./publicApi/router";

const http = httpRouter();

// Convex Auth's JWKS and OpenID configuration routes.
auth.addHttpRoutes(http);

// The public API: every /v1 route is in lib/public-api/routes.ts; one dispatcher per method.
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
  http.route({ pathPrefix: "/v1/", method, handler: dispatch });
}

export default http;
