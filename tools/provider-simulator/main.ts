import { startSimulator } from "./server";

// `npm run simulator`: PROVIDER_SIMULATOR_PORT (default 3400), PROVIDER_SIMULATOR_AUTO_APPROVE=1 to skip consent.
const DEFAULT_PORT = 3400;

const port = Number(process.env.PROVIDER_SIMULATOR_PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Invalid PROVIDER_SIMULATOR_PORT "${process.env.PROVIDER_SIMULATOR_PORT}"`);
  process.exit(1);
}
const autoApprove = ["1", "true", "yes"].includes((process.env.PROVIDER_SIMULATOR_AUTO_APPROVE ?? "").toLowerCase());

const simulator = await startSimulator({ port, autoApprove });
console.log(`provider simulator ready ${simulator.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
