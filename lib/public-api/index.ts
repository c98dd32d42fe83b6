export * from "./openapi";
export * from "./problem";
export * from "./routes";
export * from "./schemas";
export * from "./pagination";
