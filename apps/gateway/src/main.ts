// The program behind the bin (cli.ts loads it): the only place that reads process.argv and env, or exits.
import { homedir } from "node:os";
import { CommanderError } from "commander";
import type { RunningGateway } from "./commands/gateway-run.js";
import type { CommandIo } from "./io.js";
import { CliError } from "./errors.js";
import { renderFailure } from "./output.js";
import { buildProgram } from "./program.js";

const io: CommandIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  // Touching process.stdin opens fd 0; only a command that asks a question does.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  homedir: homedir(),
  cwd: process.cwd(),
};
const SHUTDOWN_BUDGET_MS = 5000;

let shuttingDown = false;

/** Stop the gateway once, within the budget, and exit. */
function shutdown(gateway: RunningGateway, signal: NodeJS.Signals): void {
  shuttingDown = true;
  // A second signal, or a stuck shutdown, must not leave the process hanging.
  setTimeout(() => {
    process.stderr.write(`gateway did not stop within ${SHUTDOWN_BUDGET_MS} ms; exiting\n`);
    process.exit(1);
  }, SHUTDOWN_BUDGET_MS).unref();
  gateway.stop(signal === "SIGINT" ? "gateway interrupted" : "gateway stopping").then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`error while stopping: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

let gateway: RunningGateway | undefined;
let signalledWhileStarting: NodeJS.Signals | undefined;

const program = buildProgram(io, {
  onGatewayStarting() {
    // The gateway prints "listening" before it is handed over below; a signal in between must stop it cleanly.
    const onSignal = (signal: NodeJS.Signals) => (gateway ? shutdown(gateway, signal) : (signalledWhileStarting ??= signal));
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  },
  onGatewayStarted(started) {
    gateway = started;
    // One stray promise must not take every channel and client down with it: log it and go on.
    process.on("unhandledRejection", (reason) => started.logger.error({ err: reason }, "unhandled promise rejection (the gateway keeps running)"));
    // A restart for a config change that could not bring the gateway back (it said why): exit, so a supervisor starts it again.
    void started.stopped.then(() => {
      if (!shuttingDown) process.exit(1);
    });
    if (signalledWhileStarting) shutdown(started, signalledWhileStarting);
  },
  onNodeHostStarted(host) {
    let stopping = false;
    const shutdown = () => {
      stopping = true;
      host.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    // The host closing by itself (a refused token, say) already printed why.
    void host.closed.then(() => {
      if (!stopping) process.exit(1);
    });
  },
});

const verbose = process.argv.includes("--verbose");
const json = process.argv.includes("--json");

/** Exit once the text is flushed: a pipe to a script may be asynchronous, and JSON cut short does not parse. */
function exitAfter(stdout: string, stderr: string, code: number): void {
  process.stderr.write(stderr);
  process.stdout.write(stdout, () => process.exit(code));
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander already printed its usage error on stderr; a script that asked for JSON gets it on stdout too.
    const usage = json && error.exitCode !== 0 ? new CliError(error.message.replace(/^error: /, ""), error.exitCode, { code: "USAGE" }) : undefined;
    exitAfter(usage ? renderFailure(usage, { json, verbose }).stdout : "", "", error.exitCode);
    return;
  }
  const failure = renderFailure(error, { json, verbose });
  exitAfter(failure.stdout, failure.stderr, failure.exitCode);
});
