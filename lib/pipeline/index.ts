/**
 * The pure parts of the provider call pipeline and of token refresh: URL guard,
 * retry policy, header rules, log excerpts, counters and the refresh plan. The
 * Convex side (`convex/calls/`, `convex/refresh/`) does the I/O.
 */
export * from "./url-guard";
export * from "./retry";
export * from "./headers";
export * from "./call-log";
export * from "./counters";
export * from "./unauthorized";
export * from "./refresh-plan";
