import { describe, expect, it } from "vitest";
import { sameOriginGatewayUrl, scrubLinkCredentials } from "./link-credentials.js";

describe("scrubLinkCredentials", () => {
  it("drops gateway URLs and secrets from the query and the hash, keeping the rest", () => {
    const scrubbed = scrubLinkCredentials("http://127.0.0.1:18789/chat?gatewayUrl=ws://evil&token=x&tab=1#password=p&deviceToken=d");
    expect([...scrubbed.removed].sort()).toEqual(["deviceToken", "gatewayUrl", "password", "token"]);
    expect(scrubbed.href).toBe("http://127.0.0.1:18789/chat?tab=1");
  });

  it("matches names case-insensitively and leaves clean links alone", () => {
    expect(scrubLinkCredentials("http://h/?GatewayURL=ws://evil").removed).toEqual(["GatewayURL"]);
    expect(scrubLinkCredentials("http://h/chat#section")).toEqual({ href: "http://h/chat#section", removed: [] });
  });
});

describe("sameOriginGatewayUrl", () => {
  it("is the serving host's socket, secure when the page is", () => {
    expect(sameOriginGatewayUrl({ protocol: "http:", host: "127.0.0.1:18789" })).toBe("ws://127.0.0.1:18789/");
    expect(sameOriginGatewayUrl({ protocol: "https:", host: "gw.example:443" })).toBe("wss://gw.example:443/");
  });
});
