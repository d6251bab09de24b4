import { spawn, type ChildProcess } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { TerminalConnectionError, type ChannelLogger } from "@openclaw/channel-kit";
import { DATABASE_UNREADABLE, ImsgDatabaseUnreadableError } from "./errors.js";

/** Why an imsg request failed, for the adapter to classify. */
export type ImsgFailure =
  /** The request provably never reached a live imsg (not running, stdin closed, exited first). */
  | { readonly kind: "not-delivered"; readonly message: string }
  /** No answer in time: imsg may have acted on it. */
  | { readonly kind: "timeout"; readonly message: string }
  /** imsg answered with a JSON-RPC error. */
  | { readonly kind: "rpc"; readonly code: number | undefined; readonly message: string; readonly data: unknown };

/** A failed imsg request; `failure` says how. */
export class ImsgRequestError extends Error {
  readonly code = "IMESSAGE_REQUEST_FAILED";

  constructor(readonly failure: ImsgFailure) {
    super(failure.message);
    this.name = "ImsgRequestError";
  }
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: ImsgRequestError) => void;
  readonly timer: NodeJS.Timeout;
}

export interface ImsgProcessOptions {
  readonly cliPath: string;
  readonly dbPath?: string;
  readonly requestTimeoutMs: number;
  readonly logger: ChannelLogger;
  /** A JSON-RPC notification from imsg (`message`, `error`). */
  readonly onNotification: (method: string, params: Record<string, unknown>) => void;
}

/**
 * One `imsg rpc --json` child: newline-delimited JSON-RPC 2.0 over its stdio. Output is decoded with
 * a StringDecoder and split on "\n" only, so a character cut across two reads survives. When the
 * child exits (or its stdin breaks), every pending request fails as not delivered.
 */
export class ImsgProcess {
  readonly #child: ChildProcess;
  readonly #options: ImsgProcessOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stderr = "";
  #exited = false;
  /** Settles when the child is gone: rejects with the reason (TerminalConnectionError when it cannot run at all). */
  readonly closed: Promise<void>;

  constructor(options: ImsgProcessOptions) {
    this.#options = options;
    const args = ["rpc", "--json", ...(options.dbPath ? ["--db", options.dbPath] : [])];
    const child = spawn(options.cliPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.#child = child;
    child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-2_000);
    });
    // EPIPE and friends: the child can no longer hear us, so it is of no use; end it and let the supervisor start another.
    child.stdin?.on("error", (error) => {
      options.logger.warn("imsg stdin broke; restarting imsg", { error: error.message });
      this.#failAll(`imsg stdin broke (${error.message})`);
      child.kill("SIGTERM");
    });
    const decoder = new StringDecoder("utf8");
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += decoder.write(chunk);
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line !== "") this.#handleLine(line);
      }
    });
    this.closed = new Promise<void>((_resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        this.#exited = true;
        this.#failAll(`could not run ${options.cliPath}: ${error.message}`);
        // A binary that is not there (or not executable) will not appear by retrying.
        reject(
          error.code === "ENOENT" || error.code === "EACCES"
            ? new TerminalConnectionError(`could not run ${options.cliPath}: ${error.message}; set channels.imessage.cliPath to the imsg executable`)
            : new Error(`could not run ${options.cliPath}: ${error.message}`),
        );
      });
      child.once("exit", (code, signal) => {
        this.#exited = true;
        const lastLine = this.#stderr.trim().split("\n").at(-1);
        this.#failAll(`imsg exited (${signal ?? `code ${code}`})${lastLine ? `: ${lastLine}` : ""}`);
      });
      // "close" comes after stderr is drained, so the reason (often many lines) is complete.
      child.once("close", (code, signal) => {
        const lines = this.#stderr
          .trim()
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => line !== "");
        const lastLine = lines.at(-1);
        if (DATABASE_UNREADABLE.test(this.#stderr)) {
          reject(new ImsgDatabaseUnreadableError(lines.find((line) => DATABASE_UNREADABLE.test(line)) ?? lastLine ?? "permission denied"));
          return;
        }
        reject(new Error(`imsg exited (${signal ?? `code ${code}`})${lastLine ? `: ${lastLine}` : ""}`));
      });
    });
    this.closed.catch(() => undefined);
  }

  get running(): boolean {
    return !this.#exited;
  }

  /** Sends one request; rejects with `ImsgRequestError`. `timeoutMs` overrides the per-request default. */
  request(method: string, params: Record<string, unknown>, timeoutMs = this.#options.requestTimeoutMs): Promise<unknown> {
    const stdin = this.#child.stdin;
    if (this.#exited || !stdin?.writable) return Promise.reject(new ImsgRequestError({ kind: "not-delivered", message: "imsg is not running" }));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ImsgRequestError({ kind: "timeout", message: `imsg did not answer ${method} within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve, reject, timer });
      stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`, (error) => {
        if (error) this.#settle(id)?.reject(new ImsgRequestError({ kind: "not-delivered", message: `could not write to imsg: ${error.message}` }));
      });
    });
  }

  /** Ends the child (stdin closed, then SIGTERM, SIGKILL after 3 s) and resolves once it has exited. */
  async close(): Promise<void> {
    if (!this.#exited) {
      const exited = this.closed.catch(() => undefined);
      this.#child.stdin?.end();
      this.#child.kill("SIGTERM");
      const timer = setTimeout(() => this.#child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    }
  }

  /** Ends the child now without waiting (it is unusable). */
  kill(): void {
    if (!this.#exited) this.#child.kill("SIGTERM");
  }

  #settle(id: number): Pending | undefined {
    const waiter = this.#pending.get(id);
    if (!waiter) return undefined;
    this.#pending.delete(id);
    clearTimeout(waiter.timer);
    return waiter;
  }

  #failAll(message: string): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(new ImsgRequestError({ kind: "not-delivered", message }));
  }

  #handleLine(line: string): void {
    let frame: { id?: unknown; result?: unknown; error?: { code?: number; message?: string; data?: unknown }; method?: unknown; params?: unknown };
    try {
      frame = JSON.parse(line) as typeof frame;
    } catch {
      this.#options.logger.warn("imsg wrote a line that is not JSON; skipped", { line: line.slice(0, 200) });
      return;
    }
    if (typeof frame.method === "string" && frame.id === undefined) {
      this.#options.onNotification(frame.method, (frame.params ?? {}) as Record<string, unknown>);
      return;
    }
    if (typeof frame.id !== "number") {
      if (frame.error) this.#options.logger.warn("imsg reported an error outside any request", { error: frame.error.message, data: frame.error.data });
      return;
    }
    const waiter = this.#settle(frame.id);
    if (!waiter) return;
    if (frame.error) {
      const detail = typeof frame.error.data === "string" ? `: ${frame.error.data}` : "";
      waiter.reject(
        new ImsgRequestError({
          kind: "rpc",
          code: frame.error.code,
          message: `imsg ${waiter.method} failed: ${frame.error.message ?? "error"}${detail}`,
          data: frame.error.data,
        }),
      );
    } else {
      waiter.resolve(frame.result);
    }
  }
}
