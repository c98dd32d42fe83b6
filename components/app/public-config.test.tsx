import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { EnvError } from "@/lib/env";

// readPublicConfig reads the environment once per module instance: import it afresh.
async function load() {
  vi.resetModules();
  return import("./public-config");
}

afterEach(() => vi.unstubAllEnvs());

describe("readPublicConfig", () => {
  test("turns the NEXT_PUBLIC_* variables into a typed config", async () => {
    vi.stubEnv("NEXT_PUBLIC_CONVEX_URL", "https://example.convex.cloud");
    vi.stubEnv("NEXT_PUBLIC_SIMULATED_PROVIDERS", "1");
    const { readPublicConfig } = await load();
    expect(readPublicConfig()).toEqual({ convexUrl: "https://example.convex.cloud", simulatedProviders: true });
  });

  test("providers are real unless NEXT_PUBLIC_SIMULATED_PROVIDERS is set", async () => {
    vi.stubEnv("NEXT_PUBLIC_CONVEX_URL", "https://example.convex.cloud");
    vi.stubEnv("NEXT_PUBLIC_SIMULATED_PROVIDERS", "");
    const { readPublicConfig } = await load();
    expect(readPublicConfig().simulatedProviders).toBe(false);
  });

  test("names what is missing or malformed", async () => {
    vi.stubEnv("NEXT_PUBLIC_CONVEX_URL", "");
    vi.stubEnv("NEXT_PUBLIC_SIMULATED_PROVIDERS", "true");
    const { readPublicConfig } = await load();
    let error: EnvError | undefined;
    try {
      readPublicConfig();
    } catch (e) {
      error = e as EnvError;
    }
    // A fresh module graph has its own EnvError class, so compare by name.
    expect(error?.name).toBe("EnvError");
    expect(error?.variables).toEqual(["NEXT_PUBLIC_CONVEX_URL", "NEXT_PUBLIC_SIMULATED_PROVIDERS"]);
  });
});

describe("usePublicConfig", () => {
  test("returns the config its provider was given", async () => {
    const { PublicConfigProvider, usePublicConfig } = await load();
    function Probe() {
      const { convexUrl, simulatedProviders } = usePublicConfig();
      return <p>{`${convexUrl} ${simulatedProviders}`}</p>;
    }
    render(
      <PublicConfigProvider config={{ convexUrl: "https://example.convex.cloud", simulatedProviders: true }}>
        <Probe />
      </PublicConfigProvider>,
    );
    expect(screen.getByText("https://example.convex.cloud true")).toBeInTheDocument();
  });

  test("throws outside a provider, so a missing provider is not mistaken for real providers", async () => {
    const { usePublicConfig } = await load();
    function Probe() {
      usePublicConfig();
      return null;
    }
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<Probe />)).toThrow(/PublicConfigProvider/);
  });
});
