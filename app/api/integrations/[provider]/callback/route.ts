import { convexAuthNextjsToken } from "@convex-dev/auth/nextjs/server";
import { fetchAction } from "convex/nextjs";
import { type NextRequest, NextResponse } from "next/server";
import { api } from "@/convex/_generated/api";
import { CallbackError } from "@/lib/errors";
import { errorCode } from "@/lib/error-messages";
import { popupPage, returnUrl, type CallbackOutcome } from "@/lib/oauth/callback-response";

/**
 * Where providers send the person back. Reads `code`, `state`, `error` and `iss`
 * (RFC 9207: which authorization server answered), finishes
 * the connection in Convex as the signed-in user, then redirects (redirect mode) or
 * answers a page that tells the opener and closes (popup mode). When the state is
 * unknown, so is the mode: the page handles both.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: providerId } = await params;
  const query = request.nextUrl.searchParams;
  const origin = request.nextUrl.origin;
  const token = await convexAuthNextjsToken();
  if (!token) return answer(origin, { ok: false, providerId, code: CallbackError.not_signed_in }, undefined, "/signin");

  try {
    const result = await fetchAction(
      api.integrations.oauth.complete,
      {
        providerId,
        state: query.get("state") ?? undefined,
        code: query.get("code") ?? undefined,
        error: query.get("error") ?? undefined,
        iss: query.get("iss") ?? undefined,
      },
      { token },
    );
    const outcome: CallbackOutcome = result.ok
      ? { ok: true, providerId }
      : { ok: false, providerId, code: result.code };
    return answer(origin, outcome, result.mode, result.returnTo ?? "/orgs");
  } catch (error) {
    const code = errorCode(error) === "UNAUTHENTICATED" ? CallbackError.not_signed_in : CallbackError.provider_error;
    return answer(origin, { ok: false, providerId, code }, undefined, "/orgs");
  }
}

function answer(origin: string, outcome: CallbackOutcome, mode: "popup" | "redirect" | undefined, returnTo: string) {
  const target = returnUrl(returnTo, outcome);
  if (mode === "redirect") return NextResponse.redirect(new URL(target, origin), 303);
  return new NextResponse(popupPage(origin, outcome, target), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // The page has one inline script and one inline style attribute, and loads nothing.
      "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      "Referrer-Policy": "no-referrer",
    },
  });
}
