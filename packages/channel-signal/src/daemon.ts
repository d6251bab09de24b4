import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { ChannelLogger } from "@openclaw/channel-kit";
import { NOT_REGISTERED, SignalAccountNotRegisteredError } from "./errors.js";
import { abortableSleep } from "@openclaw/channel-kit";

export interface ManagedDaemonOptions {
  readonly cliPath: string;
  /** The Signal account the daemon serves (`-a`). */
  readonly account: string;
  /** @default a free port on 127.0.0.1 */
  readonly httpPort?: number;
  /** How long the daemon may take to answer `/api/v1/check`. @default 30 000 */
  readonly startupTimeoutMs?: number;
  readonly logger: ChannelLogger;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A `signal-cli -a <account> daemon --http 127.0.0.1:<port>` this gateway runs. `ensureRunning`
 * (re)spawns it when it is not up and resolves with its base URL once `/api/v1/check` answers;
 * `stop` kills it and waits for it to exit. One child at a time.
 */
export class ManagedDaemon {
  readonly #options: ManagedDaemonOptions;
  #child: ChildProcess | undefined;
  #port: number | undefined;
  #stopping = new AbortController();

  constructor(options: ManagedDaemonOptions) {
    this.#options = options;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Resolves with the base URL of a healthy daemon, spawning one when none is running; `signal` abandons the wait. */
  async ensureRunning(signal?: AbortSignal): Promise<string> {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) return this.#url();
    this.#stopping = new AbortController();
    this.#port ??= this.#options.httpPort ?? (await freePort());
    return this.#spawn(signal ? AbortSignal.any([this.#stopping.signal, signal]) : this.#stopping.signal);
  }

  #url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async #spawn(abort: AbortSignal): Promise<string> {
    const { cliPath, account, logger } = this.#options;
    const timeoutMs = this.#options.startupTimeoutMs ?? 30_000;
    const child = spawn(cliPath, ["-a", account, "daemon", "--http", `127.0.0.1:${this.#port}`], { stdio: ["ignore", "ignore", "pipe"] });
    this.#child = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    let gone: Error | undefined;
    child.once("error", (error) => {
      gone = new Error(`could not run ${cliPath}: ${error.message}; set channels.signal.transport.cliPath to the signal-cli executable`);
    });
    // "close", not "exit": it comes after stderr is drained, so the reason is never cut off.
    child.once("close", (code, signal) => {
      const lastLine = stderr.trim().split("\n").at(-1) ?? "";
      // signal-cli refuses to run a daemon for an account that is not registered: no respawn can fix that.
      if (NOT_REGISTERED.test(stderr)) gone ??= new SignalAccountNotRegisteredError(account, `signal-cli exited: ${lastLine}`);
      gone ??= new Error(`signal-cli exited (${signal ?? `code ${code}`})${lastLine ? `: ${lastLine}` : ""}`);
      if (this.#child === child && !this.#stopping.signal.aborted) logger.error("the signal-cli daemon exited", { error: gone.message });
    });
    const url = this.#url();
    const deadline = Date.now() + timeoutMs;
    while (!gone && !abort.aborted && Date.now() < deadline) {
      const healthy = await fetch(`${url}/api/v1/check`, { signal: AbortSignal.any([AbortSignal.timeout(1_000), abort]) }).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy && !gone) return url;
      await abortableSleep(200, abort);
    }
    // Read before stop(): stopping aborts and makes the child exit.
    const diedFirst = gone;
    const abortedFirst = abort.aborted;
    await this.stop();
    if (diedFirst) throw diedFirst;
    if (abortedFirst) throw new Error("stopped while the signal-cli daemon was starting");
    throw new Error(
      `the signal-cli daemon did not become healthy within ${timeoutMs} ms (GET ${url}/api/v1/check); check channels.signal.transport.cliPath and that the account is registered`,
    );
  }

  /** SIGTERM, SIGKILL after 5 s; resolves once the child has exited. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    const child = this.#child;
    this.#child = undefined;
    // A child that never spawned (ENOENT) has no pid and never emits exit.
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
