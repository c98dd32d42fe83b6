// Jira's quirk: tokens are for api.atlassian.com as a whole; each site's REST API lives under /ex/jira/<cloudId>, found via accessible-resources.
import type { ProviderHooks } from "./hooks";

/** Lists the sites a token can reach: `[{ id (= cloud id), url, name, scopes }]`. */
export const JIRA_ACCESSIBLE_RESOURCES_PATH = "/oauth/token/accessible-resources";

/**
 * The REST base for one site, under the (possibly simulator-rewritten) API base.
 * @example jiraRestBase("https://api.atlassian.com", "abc") // "https://api.atlassian.com/ex/jira/abc/rest/api/3"
 */
export function jiraRestBase(apiBaseUrl: string, cloudId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(cloudId)) throw new Error("Invalid Jira cloud id");
  return `${apiBaseUrl.replace(/\/+$/, "")}/ex/jira/${cloudId}/rest/api/3`;
}

export const jiraHooks: ProviderHooks = {
  // The connect-time check lists the sites; the account is the first site, and its cloud id picks the REST base.
  afterConnect: (account) => ({ cloudId: account.id }),
  apiBase: (base, config) => (config.cloudId ? jiraRestBase(base, config.cloudId) : base),
};
