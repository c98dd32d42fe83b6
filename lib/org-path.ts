/**
 * Where a page under `/o/<slug>/…` lives after its organization moved to another
 * slug: the same sub-path, query and fragment under the new slug.
 * @example movedOrgPath({ pathname: "/o/acme/settings/members", search: "?x=1", hash: "" }, "acme-labs")
 * // "/o/acme-labs/settings/members?x=1"
 */
export function movedOrgPath(location: { pathname: string; search: string; hash: string }, slug: string): string {
  const [, root, , ...rest] = location.pathname.split("/");
  const subPath = root === "o" && rest.length > 0 ? `/${rest.join("/")}` : "";
  return `/o/${encodeURIComponent(slug)}${subPath}${location.search}${location.hash}`;
}
