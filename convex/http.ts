import { httpRouter } from "convex/server";
import { auth } from "./auth";

const http = httpRouter();

// Convex Auth's JWKS and OpenID configuration routes.
auth.addHttpRoutes(http);

export default http;
