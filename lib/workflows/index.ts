/** Workflows, pure: definitions and their checks, runs and their changes, retries, scopes and history. */
export * from "./definition";
export * from "./json";
export * from "./redact";
export * from "./retry";
export * from "./run";
export * from "./scope";
export * from "./schedule";
export * from "./event-trigger";
export * from "./describe";
