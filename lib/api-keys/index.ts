export * from "./format";
export * from "./limits";
export * from "./rate-headers";
export * from "./scopes";
