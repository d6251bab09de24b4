import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, formatPrettyLine, resolveLogFile, type GatewayLogger, type StdoutStream } from "../src/logging/index.js";

let stateDir: string;
const loggers: GatewayLogger[] = [];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "openclaw-logging-"));
});

afterEach(async () => {
  await Promise.all(loggers.splice(0).map((gatewayLogger) => gatewayLogger.close()));
  rmSync(stateDir, { recursive: true, force: true });
});

function collector(isTTY: boolean): StdoutStream & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (chunk: string) => chunks.push(chunk) };
}

function open(options: Omit<Parameters<typeof createLogger>[0], "file">): GatewayLogger {
  const gatewayLogger = createLogger({ file: resolveLogFile(stateDir), ...options });
  loggers.push(gatewayLogger);
  return gatewayLogger;
}

function fileRecords(file: string): Record<string, unknown>[] {
  const text = readFileSync(file, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("createLogger", () => {
  it("writes one JSON object per line with time, level and msg, to a private file", async () => {
    const { logger, flush, file } = open({ stdout: "off" });
    logger.info("started");
    logger.warn({ port: 18789 }, "listening");
    logger.info({ connId: "c1" });
    logger.error(new Error("kaput"));
    logger.info({ err: new Error("inner") });
    logger.debug("below the level");
    await flush();

    expect(file).toBe(join(stateDir, "logs", "gateway.log"));
    expect(statSync(join(stateDir, "logs")).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const records = fileRecords(file);
    expect(records.map((record) => record["message"])).toEqual(["started", "listening", "", "kaput", "inner"]);
    expect(records.map((record) => record["level"])).toEqual(["info", "warn", "info", "error", "info"]);
    for (const record of records) {
      expect(record["time"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(record["subsystem"]).toBe("gateway");
    }
    expect(records[1]).toMatchObject({ port: 18789 });
    expect(records[2]).toMatchObject({ connId: "c1" });
  });

  it("honours the level", async () => {
    const { logger, flush, file } = open({ stdout: "off", level: "debug" });
    logger.debug("shown");
    logger.trace("hidden");
    await flush();
    expect(fileRecords(file).map((record) => record["message"])).toEqual(["shown"]);
  });

  it("changes the level of the logger and of every child made from it while running", async () => {
    const { logger, flush, file, setLevel } = open({ stdout: "off", level: "info" });
    const child = logger.child({ subsystem: "channels" });
    const grandchild = child.child({ channel: "telegram" });
    child.debug("hidden before");
    setLevel("debug");
    const later = logger.child({ subsystem: "cron" });
    child.debug("child at debug");
    grandchild.debug("grandchild at debug");
    later.debug("later child at debug");
    setLevel("warn");
    grandchild.info("hidden after");
    logger.warn("root at warn");
    await flush();
    expect(fileRecords(file).map((record) => record["message"])).toEqual(["child at debug", "grandchild at debug", "later child at debug", "root at warn"]);
  });

  it("writes JSON lines to a stdout that is not a TTY", async () => {
    const stdout = collector(false);
    const { logger, flush } = open({ stdoutStream: stdout });
    logger.info({ n: 1 }, "hello");
    await flush();
    expect(stdout.chunks).toHaveLength(1);
    expect(JSON.parse(stdout.chunks[0] ?? "")).toMatchObject({ message: "hello", n: 1, level: "info" });
  });

  it("writes pretty lines to a TTY stdout and JSON to the file", async () => {
    const stdout = collector(true);
    const { logger, flush, file } = open({ stdoutStream: stdout });
    logger.warn({ port: 18789 }, "listening");
    await flush();
    expect(stdout.chunks).toHaveLength(1);
    expect(stdout.chunks[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} \u001b\[33mWARN \u001b\[0m listening port=18789\n$/);
    expect(fileRecords(file)[0]).toMatchObject({ message: "listening", port: 18789 });
  });

  it("writes nothing to stdout when it is off", async () => {
    const stdout = collector(true);
    const { logger, flush } = open({ stdout: "off", stdoutStream: stdout });
    logger.info("quiet");
    await flush();
    expect(stdout.chunks).toEqual([]);
  });

  it("appends to an existing file and drops lines logged after close", async () => {
    const first = open({ stdout: "off" });
    first.logger.info("one");
    await first.close();
    await first.close();
    first.logger.info("after close");

    const second = open({ stdout: "off" });
    second.logger.info("two");
    await second.close();
    expect(fileRecords(second.file).map((record) => record["message"])).toEqual(["one", "two"]);
  });
});

describe("formatPrettyLine", () => {
  const time = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();

  it("renders time, level, message and a few fields", () => {
    const line = JSON.stringify({
      level: "info",
      time: new Date(time).toISOString(),
      subsystem: "gateway",
      message: "connected",
      connId: "c1",
      client: { id: "cli" },
    });
    expect(formatPrettyLine(line)).toBe('03:04:05.006 INFO  connected connId=c1 client={"id":"cli"}\n');
  });

  it("limits and shortens fields, and quotes strings with spaces", () => {
    const line = JSON.stringify({ level: "error", time: new Date(time).toISOString(), message: "m", a: "two words", b: "x".repeat(200), c: 3 });
    const rendered = formatPrettyLine(line, { maxFields: 2 });
    expect(rendered).toBe(`03:04:05.006 ERROR m a="two words" b=${"x".repeat(79)}…\n`);
  });

  it("prints an error's stack indented under the line", () => {
    const line = JSON.stringify({
      level: "error",
      time: new Date(time).toISOString(),
      message: "boom",
      err: { type: "Error", message: "boom", stack: "Error: boom\n    at here" },
    });
    expect(formatPrettyLine(line)).toBe("03:04:05.006 ERROR boom\n    Error: boom\n        at here\n");
  });

  it("passes through lines that are not JSON objects", () => {
    expect(formatPrettyLine("not json")).toBe("not json\n");
    expect(formatPrettyLine("[1,2]\n")).toBe("[1,2]\n");
  });
});
