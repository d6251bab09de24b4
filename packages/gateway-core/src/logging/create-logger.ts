import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from "pino";
import { formatPrettyLine } from "./pretty.js";
import { LogRedactor, attachRedactor } from "./redaction.js";

/** Where stdout output goes; anything with a `write` works. */
export interface StdoutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CreateLoggerOptions {
  /** The JSON-lines file `logs.tail` serves, normally {@link resolveLogFile}. */
  readonly file: string;
  /** @default "info" */
  readonly level?: LevelWithSilent;
  /** @default "pretty" when `stdoutStream` is a TTY, otherwise "json" */
  readonly stdout?: "pretty" | "json" | "off";
  /** @default process.stdout */
  readonly stdoutStream?: StdoutStream;
}

export interface GatewayLogger {
  readonly logger: Logger;
  /** Blanks secrets in every line; register values with it (or with `registerLogSecrets`). */
  readonly redactor: LogRedactor;
  /** The log file being written. */
  readonly file: string;
  /** Resolves once every line logged so far is on disk. */
  flush(): Promise<void>;
  /** A changed `logging.level`: the logger and every child made from it take it at once. */
  setLevel(level: LevelWithSilent): void;
  /** Flush and close the file. Later log calls are dropped; later `close` calls resolve at once. */
  close(): Promise<void>;
}

/** `<stateDir>/logs/gateway.log`. */
export function resolveLogFile(stateDir: string): string {
  return join(stateDir, "logs", "gateway.log");
}

/**
 * A pino logger that writes JSON lines to `file` and, unless turned off, to stdout
 * (pretty on a terminal). Every line is one JSON object with `time` (ISO), `level` (label), `subsystem` and `message`.
 */
export function createLogger(options: CreateLoggerOptions): GatewayLogger {
  const { file } = options;
  const level = options.level ?? "info";
  const stdoutStream = options.stdoutStream ?? process.stdout;
  const stdoutMode = options.stdout ?? (stdoutStream.isTTY === true ? "pretty" : "json");

  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Logs can carry peer addresses and device ids, so the file is private even if it already existed.
  closeSync(openSync(file, "a", 0o600));
  chmodSync(file, 0o600);
  // Synchronous writes: the last lines before a crash are kept, and logs.tail sees a line
  // as soon as it is logged. The gateway's log volume is small enough for that.
  const destination = pino.destination({ dest: file, sync: true, mkdir: false });

  // Every destination gets the line after redaction: secret fields (botToken, apiKey, password, …)
  // are blanked, and registered or token-shaped secrets are cut out of every string, error
  // messages and stacks included.
  const redactor = new LogRedactor();
  // The streams take every line the loggers pass on: the level is the loggers' alone, so it can change while running.
  const streams: { level: LevelWithSilent; stream: DestinationStream }[] = [
    { level: "trace", stream: { write: (line: string) => void destination.write(redactor.redactLine(line)) } },
  ];
  if (stdoutMode === "json") streams.push({ level: "trace", stream: { write: (line: string) => void stdoutStream.write(redactor.redactLine(line)) } });
  if (stdoutMode === "pretty") {
    const color = stdoutStream.isTTY === true;
    streams.push({ level: "trace", stream: { write: (line: string) => void stdoutStream.write(formatPrettyLine(redactor.redactLine(line), { color })) } });
  }
  // Children copy their parent's level when made; these are the ones still alive, for setLevel.
  const children = new Set<WeakRef<Logger>>();
  let pruneAt = 256;
  const forEachChild = (visit: (child: Logger) => void) => {
    for (const ref of children) {
      const child = ref.deref();
      if (child === undefined) children.delete(ref);
      else visit(child);
    }
  };

  const logger = pino(
    {
      level,
      // Records read the way the OpenClaw CLI's `logs` renders them: ISO time, level label, message.
      messageKey: "message",
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      base: { subsystem: "gateway" },
      onChild: (child) => {
        children.add(new WeakRef(child));
        if (children.size < pruneAt) return;
        forEachChild(() => undefined);
        pruneAt = Math.max(256, children.size * 2);
      },
      hooks: {
        logMethod(args, method) {
          // pino omits `message` for `log({ ... })` with no message; readers of the file rely on it.
          if (needsEmptyMessage(args)) return method.apply(this, [args[0], ""]);
          return method.apply(this, args);
        },
      },
    },
    pino.multistream(streams),
  );

  attachRedactor(logger, redactor);

  let closing: Promise<void> | undefined;
  return {
    logger,
    redactor,
    file,
    setLevel(next) {
      if (closing !== undefined) return;
      logger.level = next;
      forEachChild((child) => (child.level = next));
    },
    async flush() {
      if (closing === undefined) destination.flushSync();
    },
    close() {
      closing ??= (async () => {
        logger.level = "silent";
        forEachChild((child) => (child.level = "silent"));
        const closed = once(destination, "close");
        destination.end();
        await closed;
      })();
      return closing;
    },
  };
}

function needsEmptyMessage(args: readonly unknown[]): boolean {
  const [first, second] = args;
  if (second !== undefined) return false;
  if (first === undefined) return true;
  if (typeof first !== "object" || first === null || first instanceof Error) return false;
  const { message: msg, err } = first as { message?: unknown; err?: unknown };
  // pino takes the message from `err.message` when the object carries an error.
  const errMessage = typeof err === "object" && err !== null ? (err as { message?: unknown }).message : undefined;
  return msg === undefined && errMessage === undefined;
}
