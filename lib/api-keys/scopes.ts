/**
 * The closed list of API key scopes, what each allows and the role a person needs to
 * grant it: an admin never makes a key that can do more than they can. Reading scopes
 * need a member, running and writing need an admin (as in the app).
 */
import { hasRole, type Role } from "../roles";

const SCOPES = {
  "connections:read": { role: "member", description: "List the organization's connections and read one." },
  "actions:read": { role: "member", description: "List the actions the organization can run, with their JSON Schemas." },
  "actions:run": { role: "admin", description: "Run a provider action." },
  "workflows:run": { role: "admin", description: "Start workflow runs and read them." },
  "events:read": { role: "member", description: "Read inbound webhook events." },
  "calls:read": { role: "admin", description: "Read the call log by correlation id." },
  "webhooks:read": { role: "member", description: "List outbound webhook endpoints." },
  "webhooks:write": { role: "admin", description: "Create, change and remove outbound webhook endpoints." },
} as const satisfies Record<string, { role: Role; description: string }>;

export type ApiKeyScope = keyof typeof SCOPES;
export const API_KEY_SCOPES = Object.keys(SCOPES) as ApiKeyScope[];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return Object.hasOwn(SCOPES, value);
}

/** What a scope allows, in a sentence for the page and the OpenAPI document. */
export function scopeDescription(scope: ApiKeyScope): string {
  return SCOPES[scope].description;
}

/** The scopes in `requested` that a person with `role` may not grant, in list order. */
export function scopesBeyondRole(requested: readonly ApiKeyScope[], role: Role): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => requested.includes(scope) && !hasRole(role, SCOPES[scope].role));
}
