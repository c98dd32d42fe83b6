// Jira's quirk: tokens are for api.atlassian.com as a whole; each site's REST API lives under /ex/jira/<cloudId>, found via accessible-resources.

/** Lists the sites a token can reach: `[{ id (= cloud id), url, name, scopes }]`. */
export const JIRA_ACCESSIBLE_RESOURCES_PATH = "/oauth/token/accessible-resources";

/** One Jira Cloud site a token can reach. */
export type JiraSite = { cloudId: string; url: string; name: string };

/**
 * Picks the site from an accessible-resources answer: the preferred cloud id when
 * given and present, else the first site; null when there is none.
 */
export function pickJiraSite(resources: unknown, preferredCloudId?: string): JiraSite | null {
  if (!Array.isArray(resources)) return null;
  const sites = resources.flatMap((resource): JiraSite[] => {
    if (typeof resource !== "object" || resource === null) return [];
    const { id, url, name } = resource as { id?: unknown; url?: unknown; name?: unknown };
    if (typeof id !== "string" || id === "") return [];
    return [{ cloudId: id, url: typeof url === "string" ? url : "", name: typeof name === "string" ? name : id }];
  });
  return sites.find((site) => site.cloudId === preferredCloudId) ?? sites[0] ?? null;
}

/**
 * The REST base for one site, under the (possibly simulator-rewritten) API base.
 * @example jiraRestBase("https://api.atlassian.com", "abc") // "https://api.atlassian.com/ex/jira/abc/rest/api/3"
 */
export function jiraRestBase(apiBaseUrl: string, cloudId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(cloudId)) throw new Error("Invalid Jira cloud id");
  return `${apiBaseUrl.replace(/\/+$/, "")}/ex/jira/${cloudId}/rest/api/3`;
}
