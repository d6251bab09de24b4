// `openclaw-conformance serve`: parse the command line, serve until the clients went through the
// script, report. Returns the exit code; only bin.ts exits.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { CliIo } from "../cli.js";
import { ConformanceError, UsageError } from "../errors.js";
import { exitCodeFor, jsonReport, junitReport, listTable, resultsTable } from "../report.js";
import { CLIENT_CHECKS } from "./client-checks.js";
import { startServe, type ServeOptions } from "./server.js";

export const SERVE_USAGE = `usage: openclaw-conformance serve --token T [options]

Serves a protocol v4 gateway for a client to connect to, runs a script on it (a gap in event
seq, then --closes closes with 1012 service restart) and checks what the client does.

  --token T          the gateway token the client must present (connect.auth.token)
  --port N           port to listen on (default 0: a free port; the URL is printed)
  --host ADDR        address to listen on (default 127.0.0.1; only loopback unless you say so)
  --clients N        how many clients to wait for, each going through the script (default 1)
  --closes N         how many times to close each client's connection (default 3)
  --timeout-ms MS    bound on the whole run (default 60000); raise it with more --closes
  --json             print the results and a summary as JSON (the URL and progress go to stderr)
  --junit FILE       also write the results as JUnit XML to FILE
  --list             list the client checks (id, spec section, level, title) and exit
  -h, --help         show this help

Exit code: 1 when a MUST check fails, 0 otherwise; 2 for bad usage or when no client connected.`;

/** Options for tests and embedders; the command line cannot set these. */
export type ServeCliOptions = Partial<Pick<ServeOptions, "challengeDelayMs" | "settleMs" | "refetchWaitMs" | "reconnectWaitMs" | "handshakeWaitMs" | "clock">>;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        token: { type: "string" },
        port: { type: "string", default: "0" },
        host: { type: "string", default: "127.0.0.1" },
        clients: { type: "string", default: "1" },
        closes: { type: "string", default: "3" },
        "timeout-ms": { type: "string", default: "60000" },
        json: { type: "boolean", default: false },
        junit: { type: "string" },
        list: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function integer(flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new UsageError(`--${flag}: expected an integer ${min}..${max}, got ${JSON.stringify(value)}`);
  return number;
}

/** Bad usage, a port that cannot be had, or no client at all. */
const EXIT_USAGE = 2;

/** `openclaw-conformance serve <argv>`; resolves with the exit code. */
export async function runServeCli(argv: readonly string[], io: CliIo, options: ServeCliOptions = {}): Promise<number> {
  try {
    return await serve(argv, io, options);
  } catch (error) {
    if (!(error instanceof ConformanceError)) throw error;
    io.stderr.write(`openclaw-conformance serve: ${error.message}\n${error instanceof UsageError ? `\n${SERVE_USAGE}\n` : ""}`);
    return EXIT_USAGE;
  }
}

async function serve(argv: readonly string[], io: CliIo, options: ServeCliOptions): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  if (values.list) {
    io.stdout.write(`${listTable(CLIENT_CHECKS)}\n`);
    return 0;
  }
  if (values.token === undefined || values.token === "") throw new UsageError("--token is required: the client connects with the gateway's token");
  const status = values.json ? io.stderr : io.stdout;
  const run = await startServe({
    ...options,
    token: values.token,
    port: integer("port", values.port, 0, 65535),
    host: values.host,
    clients: integer("clients", values.clients, 1, 16),
    closes: integer("closes", values.closes, 1, 10),
    timeoutMs: integer("timeout-ms", values["timeout-ms"], 1000, 3_600_000),
    onProgress: (line) => status.write(`${line}\n`),
  });
  status.write(`openclaw-conformance serve: point your client at ${run.url} with the token you gave in --token\n`);
  const results = await run.results;
  io.stdout.write(values.json ? `${jsonReport(results)}\n` : `\n${resultsTable(results)}\n`);
  if (values.junit !== undefined) await writeFile(values.junit, junitReport(results, "openclaw-conformance-serve"));
  return exitCodeFor(results);
}
