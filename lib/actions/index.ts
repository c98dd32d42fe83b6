/** Provider actions as typed data (see define.ts) and the pure steps of running one. */
export * from "./define";
export * from "./errors";
export * from "./lookup";
export * from "./scopes";
export * from "./prepare";
export * from "./catalog";
