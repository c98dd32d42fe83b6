/**
 * The app-level webhook secrets the simulated Slack, Zoom and GitHub App sign with. The
 * offline sandbox (`npm run dev:offline`) and the browser tests set them on the
 * deployment under these names (lib/inbound/providers.ts), so a `control.sendWebhook` to
 * `/webhooks/<provider>` verifies. Test values only; never a real app's.
 */
export const SIM_APP_WEBHOOK_SECRETS = {
  SLACK_SIGNING_SECRET: "sim-slack-signing-secret-0000000",
  ZOOM_WEBHOOK_SECRET_TOKEN: "sim-zoom-secret-token-000000000",
  GITHUB_APP_WEBHOOK_SECRET: "sim-github-app-webhook-secret-00",
} as const;
