"use client";

import { useCallback } from "react";
import { toast } from "sonner";
import type { Id } from "@/convex/_generated/dataModel";
import { CALLBACK_ERROR_MESSAGES, isCallbackError } from "@/lib/errors";
import { getProvider } from "@/lib/providers";
import type { OAuthPopupMessage } from "@/lib/oauth/callback-response";
import { useOAuthConnect } from "./use-oauth-connect";

/** The OAuth connect flow with its toasts; the card itself updates from the live query. */
export function useConnect(orgId: Id<"organizations">) {
  const onResult = useCallback(
    (message: OAuthPopupMessage) => {
      const name = getProvider(message.providerId)?.displayName ?? message.providerId;
      if (message.ok) toast.success(`${name} connected.`);
      else toast.error(isCallbackError(message.code) ? CALLBACK_ERROR_MESSAGES[message.code] : `${name} was not connected.`);
    },
    [],
  );
  const connect = useOAuthConnect(orgId, onResult);
  return { connect };
}
