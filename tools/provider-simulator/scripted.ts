import type { SimRequest, SimResponse } from "./http-utils";
import type { RouteResult } from "./responses";
import type { ProviderRoutes, RouteEndpoint } from "./routes";
import type { ScriptedAnswer, SimulatorState } from "./state";

/*
 * Answers queued with redirectNext. They replace the provider's answer before any check,
 * since what they test is the client: that it does not follow a redirect.
 */

function answer(scripted: ScriptedAnswer): SimResponse {
  return {
    status: scripted.status,
    headers: { location: scripted.location, "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" },
    body: `Redirecting to ${scripted.location}`,
  };
}

// Path-less entries stand for what failNext calls `api`.
const ANY_API: ReadonlySet<RouteEndpoint> = new Set(["api", "test", "webhook"]);

/** The queued scripted answer for this request, if any (used up). */
export function takeScriptedAnswer(
  state: SimulatorState,
  routes: ProviderRoutes,
  req: SimRequest,
  endpoint: RouteEndpoint,
): RouteResult | null {
  const scripted = state.takeScripted(routes.provider.id, req.path, ANY_API.has(endpoint));
  return scripted ? { providerId: routes.provider.id, endpoint, response: answer(scripted) } : null;
}
