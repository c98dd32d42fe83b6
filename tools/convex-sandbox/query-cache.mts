/**
 * Query results shared between subscriptions until the next write, so three
 * clients watching the same query cost one execution per commit.
 */
import type { Backend, CallOutcome, CallRequest } from "./backend.mjs";

export class QueryCache {
  private results = new Map<string, Promise<CallOutcome>>();

  constructor(private readonly backend: Backend) {}

  /** Forgets every result; called synchronously on each write, before it commits. */
  invalidate(): void {
    this.results = new Map();
  }

  /** The query's outcome for this identity, args and journal, run at most once per generation. */
  run(request: Omit<CallRequest, "kind">): Promise<CallOutcome> {
    const key = JSON.stringify([request.identity, request.udfPath, request.args, request.journal ?? null]);
    const results = this.results;
    let outcome = results.get(key);
    if (!outcome) {
      outcome = this.backend.call({ ...request, kind: "query" });
      results.set(key, outcome);
    }
    return outcome;
  }
}
