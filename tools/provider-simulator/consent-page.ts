import type { OAuth2Provider } from "../../lib/providers/index";
import { escapeHtml } from "./http-utils";
import type { PendingConsent } from "./state";

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; background: #f4f4f5; margin: 0; color: #18181b; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 1px 3px rgb(0 0 0 / 0.1); }
  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
           background: #fef3c7; color: #92400e; border-radius: 999px; padding: .15rem .6rem; }
  header { display: flex; align-items: center; gap: .75rem; margin: 1rem 0; }
  header img { width: 40px; height: 40px; }
  h1 { font-size: 1.25rem; margin: 0; }
  ul { padding-left: 1.25rem; }
  code { font-size: 13px; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; font: inherit; padding: .6rem 1rem; border-radius: 8px; border: 1px solid #d4d4d8; cursor: pointer; }
  button[value=approve] { background: #18181b; color: #fff; border-color: #18181b; }
  .error { color: #b91c1c; }
`;

/** The consent screen: provider name, the scopes asked for, Approve and Deny. */
export function consentPage(provider: OAuth2Provider, consent: PendingConsent): string {
  const descriptions = new Map(provider.optionalScopes.map((s) => [s.scope, s.description]));
  const scopes = consent.scopes.length
    ? consent.scopes
        .map((scope) => {
          const description = descriptions.get(scope);
          return `<li><code>${escapeHtml(scope)}</code>${description ? ` — ${escapeHtml(description)}` : ""}</li>`;
        })
        .join("")
    : "<li>No scopes requested (access is chosen on this page at the real provider).</li>";
  const name = escapeHtml(provider.displayName);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} (simulated) — authorize</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><main>
<span class="badge" data-testid="simulated-provider">Simulated provider</span>
<header><img src="/_assets/providers/${escapeHtml(provider.id)}.svg" alt=""><h1>${name}</h1></header>
<p><strong>${escapeHtml(consent.clientId)}</strong> wants access to your ${name} account:</p>
<ul data-testid="scopes">${scopes}</ul>
<p>You will be sent back to <code>${escapeHtml(new URL(consent.redirectUri).origin)}</code>.</p>
<form method="post" action="/_consent" class="actions">
  <input type="hidden" name="id" value="${escapeHtml(consent.id)}">
  <button type="submit" name="decision" value="deny">Deny</button>
  <button type="submit" name="decision" value="approve">Approve</button>
</form>
</main></body></html>`;
}

/** An error the provider shows instead of redirecting (bad client or redirect URI). */
export function errorPage(providerName: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(providerName)} (simulated) — error</title>
<style>${STYLE}</style></head>
<body><main><span class="badge">Simulated provider</span>
<h1>${escapeHtml(providerName)}</h1><p class="error" data-testid="error">${escapeHtml(message)}</p></main></body></html>`;
}
