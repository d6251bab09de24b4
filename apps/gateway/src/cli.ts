#!/usr/bin/env node
// The entry file: the only place that reads process.argv and env, or exits.
import { homedir } from "node:os";
import { CommanderError } from "commander";
import { CliError, type CommandIo } from "./io.js";
import { buildProgram } from "./program.js";

const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, homedir: homedir(), cwd: process.cwd() };
const SHUTDOWN_BUDGET_MS = 5000;

const program = buildProgram(io, {
  onGatewayStarted(gateway) {
    const shutdown = (signal: NodeJS.Signals) => {
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
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    // One stray promise must not take every channel and client down with it: log it and go on.
    process.on("unhandledRejection", (reason) => gateway.logger.error({ err: reason }, "unhandled promise rejection (the gateway keeps running)"));
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

program.parseAsync(process.argv).catch(async (error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // Loaded only on failure: the gateway's start-up does not pay for the output helpers.
  const { failureLines } = await import("./output.js");
  const [message, ...details] = failureLines(error);
  process.stderr.write(`openclaw: ${message}\n${details.map((line) => `  ${line}\n`).join("")}`);
  // Stack traces and causes only when asked for: the one line above says what to do.
  if (verbose && error instanceof Error) {
    process.stderr.write(`${error.stack ?? ""}\n`);
    if (error.cause !== undefined)
      process.stderr.write(`caused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}\n`);
  }
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
