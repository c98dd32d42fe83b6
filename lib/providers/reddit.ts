// Reddit's quirk: the API rejects generic User-Agents, so every request (token endpoint included) carries one in Reddit's format.

/**
 * Builds Reddit's User-Agent: `<platform>:<app id>:<version> (by /u/<username>)`.
 * @example redditUserAgent({ appId: "switchboard", version: "0.1.0", username: "acme" })
 */
export function redditUserAgent(parts: { platform?: string; appId: string; version: string; username: string }): string {
  return `${parts.platform ?? "web"}:${parts.appId}:${parts.version} (by /u/${parts.username})`;
}

/** The User-Agent the catalog sends to Reddit. */
export const REDDIT_USER_AGENT = redditUserAgent({ appId: "switchboard", version: "0.1.0", username: "switchboard-app" });
