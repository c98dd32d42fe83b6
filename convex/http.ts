import { httpRouter } from "convex/server";
import { auth } from "./auth";
import { dispatch } from "./publicApi/router";
import { receive } from "./webhooks/inbound/receive";

const http = httpRouter();

// Convex Auth's JWKS and OpenID configuration routes.
auth.addHttpRoutes(http);

// The public API: every /v1 route is in lib/public-api/routes.ts; one dispatcher per method.
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
  http.route({ pathPrefix: "/v1/", method, handler: dispatch });
}

// Inbound webhooks (convex/webhooks/inbound/receive.ts): deliveries by POST, handshakes by GET
// (Convex serves HEAD, which Trello checks a callback URL with, from the GET route).
for (const method of ["POST", "GET"] as const) {
  http.route({ pathPrefix: "/webhooks/", method, handler: receive });
}

export default http;
