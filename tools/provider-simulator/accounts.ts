import { readPath, type Provider } from "../../lib/providers/index";
import type { Account } from "./state";

/*
 * What each provider's "who am I" endpoint answers. Shapes follow the real APIs where we
 * know them; whatever the template says, the catalog's account paths are then written in,
 * so a provider without a template (or a new catalog entry) still answers what the
 * catalog reads.
 */

type Template = (account: Account, baseUrl: string) => unknown;

const TEMPLATES: Record<string, Template> = {
  slack: (a) => ({
    ok: true,
    url: "https://sim-workspace.slack.com/",
    team: a.name,
    user: "switchboard",
    team_id: a.id,
    user_id: "U0SIMBOT",
    bot_id: "B0SIMBOT",
    is_enterprise_install: false,
  }),
  github: (a) => ({ login: "sim-octocat", id: a.id, name: a.name, email: a.email, type: "User" }),
  notion: (a) => ({
    object: "user",
    id: a.id,
    name: "Switchboard",
    type: "bot",
    bot: { owner: { type: "user", user: { object: "user", id: "sim-notion-user" } }, workspace_name: a.name },
  }),
  gmail: (a) => ({ emailAddress: a.email, messagesTotal: 42, threadsTotal: 17, historyId: "1000" }),
  "google-calendar": (a) => ({ kind: "calendar#calendar", id: a.email, summary: a.email, timeZone: "UTC" }),
  microsoft: (a) => ({ id: a.id, displayName: a.name, userPrincipalName: a.email, mail: a.email }),
  linear: (a) => ({
    data: { viewer: { id: "sim-linear-user", name: "Sim User" }, organization: { id: a.id, name: a.name } },
  }),
  jira: (a) => [
    {
      id: a.id,
      url: "https://sim-site.atlassian.net",
      name: a.name,
      scopes: ["read:jira-work", "write:jira-work"],
      avatarUrl: "",
    },
  ],
  asana: (a) => ({
    data: {
      gid: a.id,
      name: a.name,
      email: a.email,
      resource_type: "user",
      workspaces: [{ gid: "sim-asana-workspace", name: "Sim Workspace", resource_type: "workspace" }],
    },
  }),
  zoom: (a) => ({ id: a.id, account_id: "sim-zoom-org", email: a.email, display_name: a.name, type: 1 }),
  salesforce: (a, baseUrl) => ({
    sub: `${baseUrl}/salesforce/id/00DSIM000000001AAA/${a.id}`,
    user_id: a.id,
    organization_id: "00DSIM000000001AAA",
    name: a.name,
    preferred_username: a.email,
    email: a.email,
  }),
  reddit: (a) => ({ id: a.id, name: "sim_redditor", created_utc: 1_600_000_000, total_karma: 1 }),
  linkedin: (a) => ({ sub: a.id, name: a.name, email: a.email, email_verified: true, locale: "en-US" }),
  trello: (a) => ({ id: a.id, username: "simtrello", fullName: a.name }),
  wordpress: (a) => ({ id: a.id, name: a.name, slug: "sim-editor", email: a.email, roles: ["editor"] }),
};

function setPath(target: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = path.split(".");
  const isIndex = /^\d+$/.test(head!);
  const container: Record<string, unknown> | unknown[] =
    typeof target === "object" && target !== null ? (target as Record<string, unknown>) : isIndex ? [] : {};
  const current = (container as Record<string, unknown>)[head!];
  (container as Record<string, unknown>)[head!] = rest.length === 0 ? value : setPath(current, rest.join("."), value);
  return container;
}

/** The JSON a provider's test endpoint answers for an account. */
export function accountResponse(provider: Provider, account: Account, baseUrl: string): unknown {
  if (!("test" in provider)) return null;
  let body: unknown = TEMPLATES[provider.id]?.(account, baseUrl) ?? {};
  const { idPath, namePath, successPath } = provider.test.account;
  if (readPath(body, idPath) === undefined) body = setPath(body, idPath, account.id);
  if (namePath && readPath(body, namePath) === undefined) body = setPath(body, namePath, account.name);
  if (successPath) body = setPath(body, successPath, true);
  return body;
}
