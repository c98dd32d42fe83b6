import type { SimulatorControl } from "./state";

/** The control API seen from another process: the same methods, async, over HTTP. */
export type RemoteSimulatorControl = {
  [K in keyof SimulatorControl]: (...args: Parameters<SimulatorControl[K]>) => Promise<Awaited<ReturnType<SimulatorControl[K]>>>;
};

/**
 * Talks to a running simulator's `/_control/` API.
 * @example await connectSimulator("http://127.0.0.1:3400").failNext("slack", "token", { kind: "invalid_grant" })
 */
export function connectSimulator(url: string): RemoteSimulatorControl {
  const base = url.replace(/\/+$/, "");
  return new Proxy({} as RemoteSimulatorControl, {
    get(_target, name) {
      if (typeof name !== "string" || name === "then") return undefined;
      return async (...args: unknown[]) => {
        const response = await fetch(`${base}/_control/${name}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ args }),
        });
        const body = (await response.json()) as { result?: unknown; error?: string };
        if (!response.ok) throw new Error(`Simulator control ${name} failed: ${body.error ?? response.status}`);
        return body.result;
      };
    },
  });
}
