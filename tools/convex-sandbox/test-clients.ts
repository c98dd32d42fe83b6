/**
 * Test helpers for the sandbox's conformance tests: unmodified Convex clients
 * pointed at a sandbox, and a way to wait for a subscription to reach a value.
 */
import { ConvexClient } from "convex/browser";
import type { FunctionReference } from "convex/server";
import WebSocket from "ws";

/** A `ConvexClient` as an app would make one; Node 20 has no global WebSocket. */
export function newClient(url: string): ConvexClient {
  return new ConvexClient(url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    unsavedChangesWarning: false,
    logger: false,
  });
}

/** Resolves with the first value of the subscription that satisfies `accept`. */
export function waitFor<Query extends FunctionReference<"query">>(
  client: ConvexClient,
  query: Query,
  args: Query["_args"],
  accept: (value: Query["_returnType"]) => boolean,
  timeoutMs = 5_000,
): Promise<Query["_returnType"]> {
  return new Promise((resolve, reject) => {
    let last: unknown = "(no value yet)";
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out waiting for ${JSON.stringify(args)}; last value: ${JSON.stringify(last)}`));
    }, timeoutMs);
    const unsubscribe = client.onUpdate(
      query,
      args,
      (value) => {
        last = value;
        if (!accept(value)) return;
        clearTimeout(timer);
        // onUpdate may call back before it returned the unsubscribe function.
        queueMicrotask(() => unsubscribe());
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
