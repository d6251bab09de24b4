import { readFile, readdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuthSettings } from "../src/auth/shared-auth.js";
import { ensureGatewayToken, loadConfigFile, resolveGatewaySettings, type GatewayConfig } from "../src/config/index.js";
import { ConfigError } from "../src/errors.js";

function settingsError(config: GatewayConfig, env: NodeJS.ProcessEnv = {}, flags = {}): ConfigError {
  try {
    resolveGatewaySettings({ config, env, flags });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("resolveGatewaySettings precedence", () => {
  it("uses defaults when nothing is set", () => {
    const settings = resolveGatewaySettings({ config: {}, env: {} });
    expect(settings).toMatchObject({ port: 18789, bind: "loopback", bindHost: "127.0.0.1", trustedProxies: [], allowRealIpFallback: false });
    expect(settings.auth).toMatchObject({ mode: "token", token: undefined, allowTailscale: false });
    expect(settings.auth.rateLimit).toEqual({ maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true });
  });

  it("orders flags > env > config > defaults for the port", () => {
    const config: GatewayConfig = { gateway: { port: 20000 } };
    expect(resolveGatewaySettings({ config: {}, env: {} }).port).toBe(18789);
    expect(resolveGatewaySettings({ config, env: {} }).port).toBe(20000);
    expect(resolveGatewaySettings({ config, env: { OPENCLAW_GATEWAY_PORT: "20001" } }).port).toBe(20001);
    expect(resolveGatewaySettings({ config, env: { OPENCLAW_GATEWAY_PORT: "20001" }, flags: { port: 20002 } }).port).toBe(20002);
  });

  it("orders flags > env > config for the token and password", () => {
    const config: GatewayConfig = { gateway: { auth: { mode: "token", token: "from-config", password: "pw-config" } } };
    expect(resolveGatewaySettings({ config, env: {} }).auth.token).toBe("from-config");
    const env = { OPENCLAW_GATEWAY_TOKEN: "from-env", OPENCLAW_GATEWAY_PASSWORD: "pw-env" };
    expect(resolveGatewaySettings({ config, env }).auth).toMatchObject({ token: "from-env", password: "pw-env" });
    const flagged = resolveGatewaySettings({ config, env, flags: { token: "from-flag", password: "pw-flag" } });
    expect(flagged.auth).toMatchObject({ mode: "token", token: "from-flag", password: "pw-flag" });
  });

  it("resolves bind hosts", () => {
    expect(resolveGatewaySettings({ config: { gateway: { bind: "lan", auth: { token: "t" } } }, env: {} }).bindHost).toBe("0.0.0.0");
    const custom = resolveGatewaySettings({ config: { gateway: { bind: "custom", customBindHost: "10.1.2.3" } }, env: {} });
    expect(custom.bindHost).toBe("10.1.2.3");
    expect(resolveGatewaySettings({ config: { gateway: { bind: "lan" } }, env: {}, flags: { bind: "auto" } }).bind).toBe("loopback");
    expect(settingsError({ gateway: { bind: "custom" } }).message).toBe('config key gateway.customBindHost: must be set when gateway.bind is "custom"');
  });

  it("names the variable or flag that holds a bad port", () => {
    expect(settingsError({}, { OPENCLAW_GATEWAY_PORT: "abc" }).message).toBe('OPENCLAW_GATEWAY_PORT: expected integer 1..65535, got "abc"');
    expect(settingsError({}, { OPENCLAW_GATEWAY_PORT: "70000" }).message).toBe('OPENCLAW_GATEWAY_PORT: expected integer 1..65535, got "70000"');
    expect(settingsError({}, {}, { port: 0 }).message).toBe("--port: expected integer 1..65535, got 0");
  });

  it("yields auth settings the shared-auth layer accepts", () => {
    const settings = resolveGatewaySettings({
      config: { gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } }, trustedProxies: ["10.0.0.0/8"] } },
      env: { OPENCLAW_GATEWAY_TOKEN: "machine-wide" },
    });
    const auth: AuthSettings = settings.auth;
    expect(auth).toMatchObject({ mode: "trusted-proxy", token: undefined, trustedProxies: ["10.0.0.0/8"] });
    expect(auth.trustedProxy).toEqual({
      userHeader: "x-forwarded-user",
      requiredHeaders: [],
      allowUsers: [],
      allowLoopback: false,
      deviceAutoApprove: { enabled: false, scopes: ["operator.approvals", "operator.read", "operator.write"] },
    });
  });
});

describe("Tailscale and trusted-proxy settings", () => {
  it("turns allowTailscale on by default only with tailscale.mode serve, and passes identityScopes through", () => {
    expect(resolveGatewaySettings({ config: {}, env: {} }).tailscale).toEqual({ mode: "off" });
    const serve = resolveGatewaySettings({ config: { gateway: { tailscale: { mode: "serve" } } }, env: {} });
    expect(serve.auth).toMatchObject({ allowTailscale: true, tailscaleMode: "serve" });
    const optedOut = resolveGatewaySettings({ config: { gateway: { tailscale: { mode: "serve" }, auth: { allowTailscale: false } } }, env: {} });
    expect(optedOut.auth.allowTailscale).toBe(false);
    const scoped = resolveGatewaySettings({ config: { gateway: { auth: { identityScopes: { "alice@example.com": ["operator.read"] } } } }, env: {} });
    expect(scoped.auth.identityScopes).toEqual({ "alice@example.com": ["operator.read"] });
  });

  it("refuses Funnel without password auth and Serve with auth none, naming gateway.tailscale.mode", () => {
    expect(settingsError({ gateway: { tailscale: { mode: "funnel" }, auth: { token: "t" } } }).message).toBe(
      'config key gateway.tailscale.mode: "funnel" needs gateway.auth.mode "password" (got "token"); set a password or use "serve"',
    );
    expect(resolveGatewaySettings({ config: { gateway: { tailscale: { mode: "funnel" } } }, env: { OPENCLAW_GATEWAY_PASSWORD: "p" } }).auth.mode).toBe(
      "password",
    );
    expect(settingsError({ gateway: { tailscale: { mode: "serve" }, auth: { mode: "none" } } }).issues[0]?.path).toBe("gateway.tailscale.mode");
  });

  it("refuses trusted-proxy mode without any trusted proxy, and keeps deviceAutoApprove", () => {
    expect(settingsError({ gateway: { auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-user" } } } }).message).toBe(
      'config key gateway.trustedProxies: must list the reverse proxy\'s address when gateway.auth.mode is "trusted-proxy"',
    );
    const settings = resolveGatewaySettings({
      config: {
        gateway: {
          trustedProxies: ["10.0.0.1"],
          auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-user", deviceAutoApprove: { enabled: true, scopes: ["operator.read"] } } },
        },
      },
      env: {},
    });
    expect(settings.auth.trustedProxy?.deviceAutoApprove).toEqual({ enabled: true, scopes: ["operator.read"] });
  });
});

describe("auth mode inference", () => {
  it("infers token or password from whichever one is set", () => {
    expect(resolveGatewaySettings({ config: { gateway: { auth: { token: "t" } } }, env: {} }).auth.mode).toBe("token");
    expect(resolveGatewaySettings({ config: { gateway: { auth: { password: "p" } } }, env: {} }).auth.mode).toBe("password");
    expect(resolveGatewaySettings({ config: {}, env: { OPENCLAW_GATEWAY_PASSWORD: "p" } }).auth.mode).toBe("password");
  });

  it("requires an explicit mode when both are configured, from any source", () => {
    const message = "config key gateway.auth.mode: must be set when both token and password are configured";
    expect(settingsError({ gateway: { auth: { token: "t", password: "p" } } }).message).toBe(message);
    expect(settingsError({ gateway: { auth: { token: "t" } } }, { OPENCLAW_GATEWAY_PASSWORD: "p" }).message).toBe(message);
    expect(settingsError({ gateway: { auth: { token: "t", password: "p" } } }).issues).toEqual([
      { path: "gateway.auth.mode", message: "must be set when both token and password are configured" },
    ]);
    const explicit = resolveGatewaySettings({ config: { gateway: { auth: { token: "t", password: "p" } } }, env: {}, flags: { authMode: "password" } });
    expect(explicit.auth.mode).toBe("password");
  });

  it("refuses setups that cannot authenticate anyone safely", () => {
    expect(settingsError({ gateway: { bind: "lan", auth: { mode: "none" } } }).message).toContain(
      'gateway.auth.mode: "none" is only allowed with gateway.bind "loopback"',
    );
    expect(settingsError({ gateway: { auth: { mode: "trusted-proxy" } } }).message).toBe(
      'config key gateway.auth.trustedProxy: must be set when gateway.auth.mode is "trusted-proxy"',
    );
    expect(settingsError({ gateway: { auth: { mode: "trusted-proxy", token: "t", trustedProxy: { userHeader: "x-user" } } } }).message).toContain(
      "gateway.auth.token: cannot be combined",
    );
  });
});

describe("ensureGatewayToken", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-config-token-"));
    path = join(dir, "state", "openclaw.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates a token once, stores it with mode 0600, and reuses it", async () => {
    const first = await ensureGatewayToken(path, await loadConfigFile(path, {}), { env: {} });
    expect(first.generated).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ gateway: { auth: { mode: "token", token: first.token } } });
    expect(first.loaded.config.gateway?.auth?.token).toBe(first.token);

    const second = await ensureGatewayToken(path, await loadConfigFile(path, {}), { env: {} });
    expect(second).toMatchObject({ token: first.token, generated: false });
  });

  it("keeps the other keys of an existing file", async () => {
    path = join(dir, "openclaw.json");
    await writeFile(path, `// mine\n{ gateway: { port: 19001, auth: { mode: "token" } }, logging: { level: "debug" } }`);
    const ensured = await ensureGatewayToken(path, await loadConfigFile(path, {}), { env: {} });
    expect(ensured.generated).toBe(true);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      gateway: { port: 19001, auth: { mode: "token", token: ensured.token } },
      logging: { level: "debug" },
    });
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
  });

  it("does nothing when a token exists elsewhere or auth is not token-based", async () => {
    const loaded = await loadConfigFile(path, {});
    expect(await ensureGatewayToken(path, loaded, { env: { OPENCLAW_GATEWAY_TOKEN: "env-token" } })).toMatchObject({ token: "env-token", generated: false });
    expect(await ensureGatewayToken(path, loaded, { env: {}, flags: { token: "flag-token" } })).toMatchObject({ token: "flag-token", generated: false });
    expect(await ensureGatewayToken(path, loaded, { env: { OPENCLAW_GATEWAY_PASSWORD: "pw" } })).toMatchObject({ token: undefined, generated: false });
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses to overwrite a file that changed since it was loaded", async () => {
    path = join(dir, "openclaw.json");
    const loaded = await loadConfigFile(path, {});
    await writeFile(path, "{}");
    await expect(ensureGatewayToken(path, loaded, { env: {} })).rejects.toThrow(/changed since it was loaded/);
    expect(await readFile(path, "utf8")).toBe("{}");
  });
});
