export * from "./catalog";
export * from "./filter";
export * from "./schedule";
export * from "./signing";
