/**
 * Starts the provider simulator once for the Convex test project. Convex tests run
 * in the edge runtime, which cannot open a server, so the simulator lives in
 * vitest's Node process and tests reach it over HTTP (its `/_control` API).
 */
import type { TestProject } from "vitest/node";
import type {} from "../convex/test.setup";
import { startSimulator } from "../tools/provider-simulator/server";

// `ProvidedContext.simulatorUrl` is declared in convex/test.setup.ts, next to its readers.
export default async function setup(project: TestProject) {
  const simulator = await startSimulator({ port: 0, autoApprove: true });
  // A second simulator is "another origin": a redirect that would carry a credential
  // points there, and its request log proves nothing arrived.
  const otherOrigin = await startSimulator({ port: 0, autoApprove: true });
  project.provide("simulatorUrl", simulator.url);
  project.provide("otherOriginUrl", otherOrigin.url);
  return async () => {
    await simulator.close();
    await otherOrigin.close();
  };
}
