/**
 * The one way out to providers: request building blocks (default headers, HTTP
 * Basic, the credential), the refusal rule, and `sendRequest`, the only place in
 * product code that calls `fetch` for a provider.
 */
export * from "./basic";
export * from "./credential";
export * from "./refused";
export * from "./request";
export * from "./retry-after";
export * from "./send";
export * from "./retry";
export * from "./url-guard";
