import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REDACTED_SENTINEL, hashConfigText, type LoadedConfig } from "../src/config/index.js";
import { toErrorShape } from "../src/errors.js";
import type { ErrorShape } from "@openclaw/protocol";
import { createConfigHandlers, type ConfigHandlers, type ConfigWriteInfo, type ConfigWriteOutcome } from "../src/methods/config.js";
import { requestContext } from "./request-context.js";

const context = requestContext();

let dir: string;
let path: string;
let handlers: ConfigHandlers;
let written: { loaded: LoadedConfig; info: ConfigWriteInfo }[];
/** What the running gateway (here: the test) says it did with each write. */
const APPLIED: ConfigWriteOutcome = { restartRequired: true, restart: { delayMs: 42 } };

const STORED = `// my gateway\n{\n  gateway: {\n    port: 19001,\n    auth: { mode: "token", token: "real-secret" },\n    trustedProxies: ["10.0.0.1", "10.0.0.2"],\n  },\n  channels: { slack: { botToken: "xoxb-real" } },\n}\n`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-config-methods-"));
  path = join(dir, "openclaw.json");
  written = [];
  handlers = createConfigHandlers({
    configPath: path,
    env: {},
    onWritten: (loaded, info) => {
      written.push({ loaded, info });
      return APPLIED;
    },
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The handler's failure as the dispatcher would send it: the wire shape, plus the error's message. */
async function rejection(promise: Promise<unknown>): Promise<{ shape: ErrorShape; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return { shape: toErrorShape(error), message: (error as Error).message };
}

describe("config.get", () => {
  it("reports a missing file as an empty valid config", async () => {
    expect(await handlers["config.get"]({}, context)).toEqual({ path, exists: false, raw: null, config: {}, valid: true, hash: hashConfigText(null) });
  });

  it("redacts secrets in both the raw text and the parsed config", async () => {
    await writeFile(path, STORED);
    const result = await handlers["config.get"]({}, context);
    expect(result.valid).toBe(true);
    expect(result.hash).toBe(hashConfigText(STORED));
    expect(result.raw).not.toContain("real-secret");
    expect(result.raw).not.toContain("xoxb-real");
    expect(result.raw).toContain("// my gateway");
    expect(result.config).toMatchObject({ gateway: { auth: { token: REDACTED_SENTINEL } }, channels: { slack: { botToken: REDACTED_SENTINEL } } });
  });

  it("returns issues for an invalid file instead of failing", async () => {
    await writeFile(path, `{ gateway: { port: "abc", auth: { token: "real-secret" } } }`);
    const result = await handlers["config.get"]({}, context);
    expect(result).toMatchObject({ exists: true, valid: false, issues: [{ path: "gateway.port", message: 'expected integer 1..65535, got "abc"' }] });
    expect(result.raw).not.toContain("real-secret");
  });
});

describe("config.set and config.apply", () => {
  it("round-trips a redacted config.get result without losing the real secrets", async () => {
    await writeFile(path, STORED);
    const got = await handlers["config.get"]({}, context);
    const edited = (got.raw ?? "").replace("port: 19001", "port: 19002");
    const result = await handlers["config.set"]({ raw: edited, baseHash: got.hash }, context);
    expect(result).toMatchObject({ ok: true, path, restartRequired: true, restart: { delayMs: 42 } });
    expect(result.config).toMatchObject({ gateway: { port: 19002, auth: { token: REDACTED_SENTINEL } } });

    const onDisk = await readFile(path, "utf8");
    expect(onDisk).toBe(STORED.replace("port: 19001", "port: 19002"));
    expect(result.hash).toBe(hashConfigText(onDisk));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
    expect(written).toHaveLength(1);
    expect(written[0]?.loaded.config.gateway?.auth?.token).toBe("real-secret");
    expect(written[0]?.info).toMatchObject({ method: "config.set", restartDelayMs: undefined, previous: { gateway: { port: 19001 } } });
  });

  it("refuses a stale or missing baseHash once the file exists", async () => {
    await writeFile(path, STORED);
    const stale = await rejection(Promise.resolve(handlers["config.set"]({ raw: "{}", baseHash: hashConfigText("{}") }, context)));
    expect(stale.shape).toEqual({ code: "INVALID_REQUEST", message: "config changed since last load (baseHash mismatch); re-run config.get and retry" });
    const missing = await rejection(Promise.resolve(handlers["config.set"]({ raw: "{}" }, context)));
    expect(missing.message).toContain("pass baseHash");
    expect(await readFile(path, "utf8")).toBe(STORED);
  });

  it("rejects invalid configs with config key messages and writes nothing", async () => {
    const error = await rejection(Promise.resolve(handlers["config.set"]({ raw: `{ gateway: { port: "abc", foo: 1 } }` }, context)));
    expect(error.shape.code).toBe("INVALID_REQUEST");
    expect(error.message).toBe('config key gateway.foo: unknown key; config key gateway.port: expected integer 1..65535, got "abc"');
    expect(error.shape.details).toEqual({
      issues: [
        { path: "gateway.foo", message: "unknown key" },
        { path: "gateway.port", message: 'expected integer 1..65535, got "abc"' },
      ],
    });
    const syntax = await rejection(Promise.resolve(handlers["config.set"]({ raw: "{ nope" }, context)));
    expect(syntax.message).toMatch(/^config: not valid JSON5/);
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("without a running gateway to apply it, answers restartRequired for restart keys and config.apply only", async () => {
    const unapplied = createConfigHandlers({ configPath: path, env: {} });
    const first = await unapplied["config.set"]({ raw: `{ logging: { level: "info" } }` }, context);
    const second = await unapplied["config.set"]({ raw: `{ logging: { level: "debug" } }`, baseHash: first.hash }, context);
    expect(second.restartRequired).toBe(false);
    const port = await unapplied["config.set"]({ raw: `{ logging: { level: "debug" }, gateway: { port: 19009 } }`, baseHash: second.hash }, context);
    expect(port.restartRequired).toBe(true);
    const applied = await unapplied["config.apply"]({ raw: `{ logging: { level: "warn" }, gateway: { port: 19009 } }`, baseHash: port.hash }, context);
    expect(applied.restartRequired).toBe(true);
    expect(applied).not.toHaveProperty("restart");
  });

  it("passes restartDelayMs to the running gateway and answers with what it did", async () => {
    const applied = await handlers["config.apply"]({ raw: `{ logging: { level: "warn" } }`, restartDelayMs: 500 }, context);
    expect(written.at(-1)?.info).toMatchObject({ method: "config.apply", restartDelayMs: 500 });
    expect(applied).toMatchObject({ restartRequired: true, restart: { delayMs: 42 } });
  });

  it("refuses a valid config the gateway cannot run, naming why, and keeps the file", async () => {
    await writeFile(path, STORED);
    const refusing = createConfigHandlers({
      configPath: path,
      env: {},
      accept: (config) => {
        if (config.agents?.defaults?.model === "nope/x") throw new Error('config key agents.defaults.model: unknown provider "nope"');
      },
    });
    const { hash } = await refusing["config.get"]({}, context);
    const error = await rejection(Promise.resolve(refusing["config.patch"]({ raw: `{ agents: { defaults: { model: "nope/x" } } }`, baseHash: hash }, context)));
    expect(error.shape).toMatchObject({ code: "INVALID_REQUEST", message: 'config refused: config key agents.defaults.model: unknown provider "nope"' });
    expect(await readFile(path, "utf8")).toBe(STORED);
  });
});

describe("config.patch", () => {
  it("merges onto the stored config, restores secrets and writes pretty JSON", async () => {
    await writeFile(path, STORED);
    const { hash } = await handlers["config.get"]({}, context);
    const patch = `{ gateway: { port: 19005, auth: { token: "${REDACTED_SENTINEL}" } }, logging: { level: "debug" }, channels: { slack: null } }`;
    const result = await handlers["config.patch"]({ raw: patch, baseHash: hash }, context);
    const expected = {
      gateway: { port: 19005, auth: { mode: "token", token: "real-secret" }, trustedProxies: ["10.0.0.1", "10.0.0.2"] },
      channels: {},
      logging: { level: "debug" },
    };
    expect(await readFile(path, "utf8")).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(result).toMatchObject({ ok: true, restartRequired: true, config: { gateway: { port: 19005, auth: { token: REDACTED_SENTINEL } } } });
  });

  it("needs replacePaths to shrink an array", async () => {
    await writeFile(path, STORED);
    const { hash } = await handlers["config.get"]({}, context);
    const raw = `{ gateway: { trustedProxies: ["10.0.0.9"] } }`;
    const error = await rejection(Promise.resolve(handlers["config.patch"]({ raw, baseHash: hash }, context)));
    expect(error.message).toContain(
      'config key gateway.trustedProxies: patch shrinks the array from 2 to 1 items; list "gateway.trustedProxies" in replacePaths',
    );
    const result = await handlers["config.patch"]({ raw, baseHash: hash, replacePaths: ["gateway.trustedProxies"] }, context);
    expect(result.config).toMatchObject({ gateway: { trustedProxies: ["10.0.0.9"] } });
  });

  it("validates the merged result", async () => {
    const error = await rejection(Promise.resolve(handlers["config.patch"]({ raw: `{ gateway: { bind: "wan" } }` }, context)));
    expect(error.message).toBe('config key gateway.bind: expected one of "loopback", "lan", "custom", "auto", got "wan"');
    const notObject = await rejection(Promise.resolve(handlers["config.patch"]({ raw: "[1]" }, context)));
    expect(notObject.message).toContain("must be a JSON5 object");
  });
});

describe("config.schema", () => {
  it("serves a JSON Schema that compiles and validates like the loader", async () => {
    const result = await handlers["config.schema"]({}, context);
    expect(result).toMatchObject({ uiHints: {}, version: "1" });
    expect(new Date(result.generatedAt).toISOString()).toBe(result.generatedAt);
    const validate = new Ajv({ strict: true }).compile(JSON.parse(JSON.stringify(result.schema)) as object);
    expect(validate({ gateway: { port: 18789, auth: { mode: "token", token: "t" } }, channels: { x: {} } })).toBe(true);
    expect(validate({ gateway: { port: 0 } })).toBe(false);
    expect(validate({ surprise: 1 })).toBe(false);
  });
});
