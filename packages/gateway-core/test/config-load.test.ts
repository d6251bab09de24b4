import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  DEFAULTS,
  loadConfigFile,
  readConfigSnapshot,
  resolveConfigPath,
  resolveStateDir,
  validateConfig,
  withDefaults,
  type ConfigIssue,
  type GatewayConfig,
} from "../src/config/index.js";
import { ConfigError } from "../src/errors.js";

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-config-load-"));
  path = join(dir, "openclaw.json");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(text: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  await writeFile(path, text);
  const error = await loadConfigFile(path, env).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

function issuesOf(parsed: unknown): readonly ConfigIssue[] {
  const result = validateConfig(parsed, {});
  return result.ok ? [] : result.issues;
}

describe("config paths", () => {
  it("defaults to ~/.openclaw/openclaw.json", () => {
    expect(resolveStateDir({}, "/home/ada")).toBe("/home/ada/.openclaw");
    expect(resolveConfigPath({}, "/home/ada")).toBe("/home/ada/.openclaw/openclaw.json");
  });

  it("follows OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH", () => {
    expect(resolveConfigPath({ OPENCLAW_STATE_DIR: "/srv/claw" }, "/home/ada")).toBe("/srv/claw/openclaw.json");
    expect(resolveConfigPath({ OPENCLAW_STATE_DIR: "~/state" }, "/home/ada")).toBe("/home/ada/state/openclaw.json");
    expect(resolveConfigPath({ OPENCLAW_STATE_DIR: "/srv/claw", OPENCLAW_CONFIG_PATH: "/etc/claw.json5" }, "/home/ada")).toBe("/etc/claw.json5");
  });
});

describe("loadConfigFile", () => {
  it("treats a missing file as an empty config with the hash of the empty string", async () => {
    const loaded = await loadConfigFile(path, {});
    expect(loaded).toMatchObject({ path, exists: false, raw: null, parsed: {}, config: {} });
    expect(loaded.hash).toBe(createHash("sha256").update("").digest("hex"));
    expect(withDefaults(loaded.config).gateway.port).toBe(18789);
  });

  it("reads JSON5 with comments, unquoted keys and trailing commas", async () => {
    const raw = `// gateway settings\n{\n  gateway: {\n    port: 19001, /* dev */\n    bind: 'lan',\n    auth: { mode: "token", token: "abc", },\n  },\n}\n`;
    await writeFile(path, raw);
    const loaded = await loadConfigFile(path, {});
    expect(loaded.exists).toBe(true);
    expect(loaded.raw).toBe(raw);
    expect(loaded.config.gateway?.port).toBe(19001);
    expect(loaded.config.gateway?.auth).toEqual({ mode: "token", token: "abc" });
    expect(loaded.hash).toBe(createHash("sha256").update(raw).digest("hex"));
  });

  it("substitutes ${VAR} in string values and keeps the unsubstituted document in parsed", async () => {
    await writeFile(path, `{ gateway: { auth: { token: "\${OPENCLAW_GATEWAY_TOKEN}" }, remote: { url: "wss://\${HOST}:443" } } }`);
    const loaded = await loadConfigFile(path, { OPENCLAW_GATEWAY_TOKEN: "s3cret", HOST: "gw.example" });
    expect(loaded.config.gateway?.auth?.token).toBe("s3cret");
    expect(loaded.config.gateway?.remote?.url).toBe("wss://gw.example:443");
    expect(loaded.parsed).toEqual({ gateway: { auth: { token: "${OPENCLAW_GATEWAY_TOKEN}" }, remote: { url: "wss://${HOST}:443" } } });
  });

  it("keeps an escaped $${VAR} literally", async () => {
    await writeFile(path, `{ agents: { defaults: { model: "local/$\${NAME}" } } }`);
    const loaded = await loadConfigFile(path, {});
    expect(loaded.config.agents?.defaults?.model).toBe("local/${NAME}");
  });

  it("names the key and the variable when a referenced variable is missing", async () => {
    const error = await loadError(`{ gateway: { auth: { token: "\${MISSING_TOKEN}" } } }`);
    expect(error.issues).toEqual([{ path: "gateway.auth.token", message: "environment variable MISSING_TOKEN is not set" }]);
    expect(error.message).toBe(`invalid config file ${path}: config key gateway.auth.token: environment variable MISSING_TOKEN is not set`);
  });

  it("reports JSON5 syntax errors with a position", async () => {
    const error = await loadError("{ gateway: { port: } }");
    expect(error.issues[0]?.path).toBe("");
    expect(error.message).toMatch(/config: not valid JSON5: invalid character '}' at 1:20$/);
  });

  it("refuses a config path that is not a regular file", async () => {
    await mkdir(path);
    const error = await loadConfigFile(path, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("not a regular file");
  });

  it("lists every issue in one error", async () => {
    const error = await loadError(`{ gateway: { port: "abc", foo: 1 }, logging: { level: "loud" } }`);
    expect(error.issues).toHaveLength(3);
    expect(error.message).toContain('config key gateway.port: expected integer 1..65535, got "abc"');
    expect(error.message).toContain("config key gateway.foo: unknown key");
    expect(error.message).toContain('config key logging.level: expected one of "trace", "debug", "info", "warn", "error", "fatal", got "loud"');
  });

  it("still snapshots an invalid file for config.get", async () => {
    await writeFile(path, `{ gateway: { port: 0 } }`);
    const snapshot = await readConfigSnapshot(path, {});
    expect(snapshot.config).toBeUndefined();
    expect(snapshot.parsed).toEqual({ gateway: { port: 0 } });
    expect(snapshot.issues).toEqual([{ path: "gateway.port", message: "expected integer 1..65535, got 0" }]);
  });
});

describe("validation messages", () => {
  it("names unknown keys at any depth", () => {
    expect(issuesOf({ nope: true })).toEqual([{ path: "nope", message: "unknown key" }]);
    expect(issuesOf({ gateway: { auth: { rateLimit: { maxAttempts: 3, burst: 2 } } } })).toEqual([
      { path: "gateway.auth.rateLimit.burst", message: "unknown key" },
    ]);
  });

  it("allows $schema only at the root", () => {
    expect(issuesOf({ $schema: "./openclaw.schema.json" })).toEqual([]);
    expect(issuesOf({ gateway: { $schema: "x" } })).toEqual([{ path: "gateway.$schema", message: "unknown key" }]);
  });

  it("describes wrong types", () => {
    expect(issuesOf({ gateway: { tls: { enabled: "yes" } } })).toEqual([{ path: "gateway.tls.enabled", message: 'expected boolean, got "yes"' }]);
    expect(issuesOf({ gateway: { trustedProxies: "10.0.0.1" } })).toEqual([{ path: "gateway.trustedProxies", message: 'expected array, got "10.0.0.1"' }]);
    expect(issuesOf({ gateway: { trustedProxies: ["10.0.0.1", 7] } })).toEqual([
      { path: "gateway.trustedProxies[1]", message: "expected non-empty string, got 7" },
    ]);
    expect(issuesOf({ gateway: [] })).toEqual([{ path: "gateway", message: "expected object, got array" }]);
    expect(issuesOf([])).toEqual([{ path: "", message: "expected object, got array" }]);
  });

  it("describes out-of-range numbers", () => {
    expect(issuesOf({ gateway: { port: 70000 } })).toEqual([{ path: "gateway.port", message: "expected integer 1..65535, got 70000" }]);
    expect(issuesOf({ gateway: { port: 80.5 } })).toEqual([{ path: "gateway.port", message: "expected integer 1..65535, got 80.5" }]);
    expect(issuesOf({ gateway: { auth: { rateLimit: { lockoutMs: -1 } } } })).toEqual([
      { path: "gateway.auth.rateLimit.lockoutMs", message: "expected integer >= 0, got -1" },
    ]);
  });

  it("describes bad enum values and patterns", () => {
    expect(issuesOf({ gateway: { bind: "wan" } })).toEqual([
      { path: "gateway.bind", message: 'expected one of "loopback", "lan", "custom", "auto", got "wan"' },
    ]);
    expect(issuesOf({ agents: { defaults: { model: "opus" } } })).toEqual([
      { path: "agents.defaults.model", message: 'expected model reference "provider/model", got "opus"' },
    ]);
    expect(issuesOf({ agents: { defaults: { heartbeat: { every: "often" } } } })).toEqual([
      { path: "agents.defaults.heartbeat.every", message: 'expected duration like "30m", "90s" or "1h30m", got "often"' },
    ]);
  });

  it("checks the Tailscale and trusted-proxy keys, naming each bad one", () => {
    expect(issuesOf({ gateway: { trustedProxies: ["10.0.0.1", "10.0.0.0/33", "proxy.internal", "10.0.0.0/"] } })).toEqual([
      { path: "gateway.trustedProxies[1]", message: 'expected IP address or CIDR like "10.0.0.1" or "10.0.0.0/8", got "10.0.0.0/33"' },
      { path: "gateway.trustedProxies[2]", message: 'expected IP address or CIDR like "10.0.0.1" or "10.0.0.0/8", got "proxy.internal"' },
      { path: "gateway.trustedProxies[3]", message: 'expected IP address or CIDR like "10.0.0.1" or "10.0.0.0/8", got "10.0.0.0/"' },
    ]);
    expect(issuesOf({ gateway: { tailscale: { mode: "on" } } })).toEqual([
      { path: "gateway.tailscale.mode", message: 'expected one of "off", "serve", "funnel", got "on"' },
    ]);
    expect(issuesOf({ gateway: { tailscale: { mode: "serve", resetOnExit: true } } })).toEqual([
      { path: "gateway.tailscale.resetOnExit", message: "unknown key" },
    ]);
    expect(issuesOf({ gateway: { auth: { identityScopes: { "alice@example.com": ["operator.read", "admin"] } } } })).toEqual([
      { path: "gateway.auth.identityScopes.alice@example.com[1]", message: 'expected operator scope like "operator.read", got "admin"' },
    ]);
    const proxy = (extra: Record<string, unknown>) => ({ gateway: { auth: { trustedProxy: { userHeader: "x-forwarded-user", ...extra } } } });
    expect(issuesOf(proxy({ deviceAutoApprove: { enabled: "yes", scopes: ["operator.write"], ttl: 5 } }))).toEqual([
      { path: "gateway.auth.trustedProxy.deviceAutoApprove.ttl", message: "unknown key" },
      { path: "gateway.auth.trustedProxy.deviceAutoApprove.enabled", message: 'expected boolean, got "yes"' },
    ]);
    expect(issuesOf(proxy({ requiredHeaders: ["x-forwarded-proto", "bad header"] }))).toEqual([
      { path: "gateway.auth.trustedProxy.requiredHeaders[1]", message: 'expected HTTP header name like "x-forwarded-user", got "bad header"' },
    ]);
    expect(issuesOf(proxy({ allowLoopback: true, allowUsers: ["alice"], deviceAutoApprove: { enabled: true } }))).toEqual([]);
  });

  it("reports missing required keys", () => {
    expect(issuesOf({ gateway: { auth: { trustedProxy: {} } } })).toEqual([
      { path: "gateway.auth.trustedProxy.userHeader", message: "required key is missing" },
    ]);
  });

  it("never echoes a secret value in a message", () => {
    expect(issuesOf({ gateway: { auth: { token: "" } } })).toEqual([{ path: "gateway.auth.token", message: "expected non-empty string, got a secret string" }]);
  });

  it("accepts open channel sections but requires them to be objects", () => {
    expect(issuesOf({ channels: { telegram: { botToken: "x", anything: [1, 2] } } })).toEqual([]);
    expect(issuesOf({ channels: { telegram: true } })).toEqual([{ path: "channels.telegram", message: "expected object, got true" }]);
  });
});

describe("withDefaults", () => {
  it("fills every default and maps retired spellings", () => {
    const resolved = withDefaults({ gateway: { bind: "auto", auth: { rateLimit: { maxAttempts: 3 } } } });
    expect(resolved.gateway.bind).toBe("loopback");
    expect(resolved.gateway.reload).toEqual({ mode: "hybrid", debounceMs: 300 });
    expect(withDefaults({ gateway: { reload: { mode: "hot" } } }).gateway.reload.mode).toBe("hot");
    expect(resolved.gateway.auth.rateLimit).toEqual({ maxAttempts: 3, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true });
    expect(resolved.gateway.keepalive).toEqual({ interval: 30_000, timeout: 10_000 });
    expect(resolved.gateway.nodes.pairing.autoApproveLocal).toBe(true);
    expect(resolved.agents.defaults.heartbeat).toEqual({ every: "30m", enabled: true });
    expect(resolved.logging.level).toBe(DEFAULTS.logging.level);
  });

  it("derives GatewayConfig from the schema", () => {
    expectTypeOf<NonNullable<GatewayConfig["gateway"]>["port"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<NonNullable<GatewayConfig["gateway"]>["auth"]>["mode"]>().toEqualTypeOf<
      "none" | "token" | "password" | "trusted-proxy" | undefined
    >();
    expectTypeOf<ReturnType<typeof withDefaults>["gateway"]["port"]>().toEqualTypeOf<number>();
  });
});
