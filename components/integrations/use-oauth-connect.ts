"use client";

import { useAction } from "convex/react";
import { useEffect, useRef } from "react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import type { OAuthPopupMessage } from "@/lib/oauth/callback-response";

const POPUP_FEATURES = "popup=yes,width=600,height=720";
/** How often an open popup is checked for having been closed (a cross-origin popup sends no event). */
const POPUP_CLOSED_POLL_MS = 400;

/**
 * Connect through a popup, falling back to a full redirect when the browser blocks
 * it. The popup is opened synchronously inside the click (so blockers allow it) and
 * pointed at the provider once the authorize URL is known. In popup mode `connect`
 * settles only when the popup has reported or was closed, so the caller can show the
 * card as pending while the person is at the provider.
 */
export function useOAuthConnect(
  orgId: Id<"organizations">,
  onResult: (message: OAuthPopupMessage) => void,
) {
  const start = useAction(api.integrations.oauth.start);
  /** Per provider, what ends its pending popup. */
  const pending = useRef(new Map<string, () => void>());

  useEffect(() => {
    function onMessage(event: MessageEvent) {
      // Only our own callback page, on our own origin, speaks this protocol.
      if (event.origin !== window.location.origin) return;
      const data = event.data as Partial<OAuthPopupMessage> | null;
      if (data?.type !== "switchboard:oauth" || typeof data.providerId !== "string") return;
      pending.current.get(data.providerId)?.();
      onResult(data as OAuthPopupMessage);
    }
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [onResult]);

  return async function connect(providerId: string): Promise<"popup" | "redirect"> {
    const returnTo = window.location.pathname;
    const popup = window.open("about:blank", `switchboard-oauth-${providerId}`, POPUP_FEATURES);
    if (!popup) {
      const { authorizeUrl } = await start({ orgId, providerId, mode: "redirect", returnTo });
      window.location.assign(authorizeUrl);
      return "redirect";
    }
    try {
      const { authorizeUrl } = await start({ orgId, providerId, mode: "popup", returnTo });
      popup.location.href = authorizeUrl;
    } catch (error) {
      popup.close();
      throw error;
    }
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => popup.closed && done(), POPUP_CLOSED_POLL_MS);
      function done() {
        clearInterval(poll);
        pending.current.delete(providerId);
        resolve();
      }
      pending.current.get(providerId)?.();
      pending.current.set(providerId, done);
    });
    return "popup";
  };
}
