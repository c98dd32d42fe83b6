import { describe, expect, test } from "vitest";
import { accountOfWebhook } from "./verify";

describe("accountOfWebhook", () => {
  test("host and a masked path: the first segment and the last four characters, never the secret in between", () => {
    const name = accountOfWebhook(new URL("https://api.pumble.com/workspaces/w123/incomingWebhooks/postMessage/SeCrEtToKeNAb12")).name;
    expect(name).toBe("api.pumble.com/workspaces/…Ab12");
    expect(name).not.toMatch(/w123|SeCrEt|incomingWebhooks/);
  });
  test("a one-segment path is masked whole but for its end; a bare host is the host", () => {
    expect(accountOfWebhook(new URL("https://hooks.example.com/abcdefghijkl")).name).toBe("hooks.example.com/…ijkl");
    expect(accountOfWebhook(new URL("https://hooks.example.com/")).name).toBe("hooks.example.com");
    expect(accountOfWebhook(new URL("http://127.0.0.1:3400/pumble/workspaces/x/y")).id).toBe("127.0.0.1:3400");
  });
});
