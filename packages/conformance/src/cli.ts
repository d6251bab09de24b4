// `openclaw-conformance`: parse the command line, run the selected checks, report. Returns the
// exit code; only bin.ts exits.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { normalizeFingerprint } from "@openclaw/client/node";
import type { CheckContext, GatewayCredential } from "./check.js";
import { allChecks, selectChecks } from "./checks/index.js";
import { ConformanceError, UsageError } from "./errors.js";
import { exitCodeFor, jsonReport, junitReport, listTable, progressLine, resultsTable } from "./report.js";
import { probeGateway, runChecks } from "./run.js";
import { runServeCli, type ServeCliOptions } from "./serve/cli.js";

export const DEFAULT_URL = "ws://127.0.0.1:18789";
/** Exit code for bad usage or an unreachable gateway. */
export const EXIT_USAGE = 2;

export const USAGE = `usage: openclaw-conformance [--url URL] (--token T | --password P) [options]

Runs protocol v4 conformance checks against a running OpenClaw gateway. By default no check
changes anything on it.

  --url URL             the gateway's WebSocket URL (default ${DEFAULT_URL})
  --token T             the gateway's shared token (gateway.auth.token)
  --password P          the gateway's shared password, instead of a token
  --tls-fingerprint FP  pin the wss:// gateway's certificate (SHA-256, hex, colons optional)
  --admin-token T       a token holding operator.admin, for the pairing checks (else they skip)
  --allow-mutations     also run checks that change gateway state; they clean up after themselves
  --allow-disruptive    also run checks that stop or disturb the gateway (shutdown on stop)
  --as ROLE             operator (default): what a gateway must do for control clients;
                        node: what a gateway must do for nodes
  --only PREFIX     run only checks whose id starts with PREFIX (repeatable), e.g. --only handshake.error
  --json            print the results and a summary as JSON instead of the table
  --junit FILE      also write the results as JUnit XML to FILE
  --list            list the checks (id, spec section, level, title) and exit
  -h, --help        show this help

To check a client instead of a gateway: openclaw-conformance serve --help

Exit code: 1 when a MUST check fails, 0 otherwise; 2 for bad usage or an unreachable gateway.`;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export interface CliOptions {
  /**
   * How long a check waits for one answer or close.
   * @default 10000
   */
  readonly answerTimeoutMs?: number;
  /** Timings of `serve` the command line does not set. @default serve's own */
  readonly serve?: ServeCliOptions;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: "string", default: DEFAULT_URL },
        token: { type: "string" },
        password: { type: "string" },
        "tls-fingerprint": { type: "string" },
        "admin-token": { type: "string" },
        "allow-mutations": { type: "boolean", default: false },
        "allow-disruptive": { type: "boolean", default: false },
        as: { type: "string", default: "operator" },
        only: { type: "string", multiple: true, default: [] },
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

function credentialOf(values: { token?: string | undefined; password?: string | undefined }): GatewayCredential {
  if (values.token !== undefined && values.password !== undefined) throw new UsageError("give --token or --password, not both");
  if (values.token !== undefined) return { token: values.token };
  if (values.password !== undefined) return { password: values.password };
  throw new UsageError("--token or --password is required: checks connect with the gateway's shared credential");
}

/** `openclaw-conformance <argv>`; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  // `serve` checks a client, not a gateway: its own flags, its own usage.
  if (argv[0] === "serve") return runServeCli(argv.slice(1), io, options.serve);
  try {
    const values = parse(argv);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (values.as !== "operator" && values.as !== "node") throw new UsageError(`--as: expected operator or node, got ${JSON.stringify(values.as)}`);
    const role = values.as;
    const checks = selectChecks(
      allChecks().filter((check) => (check.role ?? "operator") === role),
      values.only,
    );
    if (checks.length === 0) throw new UsageError(`no check id starts with ${values.only.map((p) => JSON.stringify(p)).join(" or ")}; see --list`);
    if (values.list) {
      io.stdout.write(`${listTable(checks)}\n`);
      return 0;
    }
    if (!/^wss?:\/\//.test(values.url)) throw new UsageError(`--url: expected a ws:// or wss:// URL, got ${JSON.stringify(values.url)}`);
    const tlsFingerprint = values["tls-fingerprint"];
    if (tlsFingerprint !== undefined) {
      if (!values.url.startsWith("wss://")) throw new UsageError(`--tls-fingerprint needs a wss:// --url, got ${JSON.stringify(values.url)}`);
      try {
        normalizeFingerprint(tlsFingerprint);
      } catch (error) {
        throw new UsageError(`--${(error as Error).message}`);
      }
    }
    const context: CheckContext = {
      url: values.url,
      credential: credentialOf(values),
      answerTimeoutMs: options.answerTimeoutMs ?? 10_000,
      tlsFingerprint,
      adminToken: values["admin-token"],
      allowMutations: values["allow-mutations"],
      allowDisruptive: values["allow-disruptive"],
    };

    await probeGateway(context);
    const results = await runChecks(checks, context, {
      onResult: values.json ? undefined : (result, index, total) => io.stdout.write(`${progressLine(result, index, total)}\n`),
    });
    io.stdout.write(values.json ? `${jsonReport(results)}\n` : `\n${resultsTable(results)}\n`);
    if (values.junit !== undefined) await writeFile(values.junit, junitReport(results));
    return exitCodeFor(results);
  } catch (error) {
    if (!(error instanceof ConformanceError)) throw error;
    io.stderr.write(`openclaw-conformance: ${error.message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ""}`);
    return EXIT_USAGE;
  }
}
