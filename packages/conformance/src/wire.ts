// A raw WebSocket connection for checks: it keeps every frame in arrival order and the close,
// and every wait is bounded, so a silent or broken gateway fails a check instead of hanging it.
import { wsSocketFactory } from "@openclaw/client/node";
import WebSocket from "ws";
import { GatewayUnreachableError } from "./errors.js";

/** A received frame: parsed JSON when it was a text frame holding JSON, else undefined. */
export interface ReceivedFrame {
  readonly raw: string;
  readonly frame: WireFrame | undefined;
  /** Its place in arrival order, from 0. */
  readonly index: number;
}

/** The loose view of a gateway frame that checks read; nothing here is trusted. */
export interface WireFrame {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly ok?: unknown;
  readonly event?: unknown;
  readonly method?: unknown;
  readonly payload?: any;
  readonly error?: any;
  readonly seq?: unknown;
  readonly [key: string]: unknown;
}

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

function parse(raw: string): WireFrame | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as WireFrame) : undefined;
  } catch {
    return undefined;
  }
}

export class WireConnection {
  /** Every frame received, in order. */
  readonly received: ReceivedFrame[] = [];
  private closeInfo: CloseInfo | undefined;
  private readonly taken = new Set<number>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("error", () => undefined); // a socket error ends in a close, which is what checks look at
    ws.on("message", (data, isBinary) => {
      const raw = isBinary ? `<binary frame>` : data.toString();
      this.received.push({ raw, frame: isBinary ? undefined : parse(raw), index: this.received.length });
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /**
   * Open a socket to `url` (pinning the certificate when given a fingerprint; sending an `Origin`
   * header when given one, as a browser page would); rejects with {@link GatewayUnreachableError}
   * when there is no upgrade within `timeoutMs`.
   */
  static open(url: string, timeoutMs: number, options: { tlsFingerprint?: string | undefined; origin?: string | undefined } = {}): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws =
          options.tlsFingerprint === undefined
            ? new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, ...(options.origin === undefined ? {} : { origin: options.origin }) })
            : (wsSocketFactory(WebSocket)(url, { tlsFingerprint: options.tlsFingerprint }) as unknown as WebSocket);
      } catch (error) {
        reject(new GatewayUnreachableError(url, (error as Error).message, { cause: error }));
        return;
      }
      const connection = new WireConnection(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new GatewayUnreachableError(url, `no WebSocket upgrade within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once("close", () => clearTimeout(timer));
      ws.once("open", () => {
        clearTimeout(timer);
        resolve(connection);
      });
      ws.once("unexpected-response", (_request, response) => {
        ws.terminate();
        reject(new GatewayUnreachableError(url, `HTTP ${response.statusCode} instead of a WebSocket upgrade`));
      });
      ws.once("error", (error) => reject(new GatewayUnreachableError(url, error.message, { cause: error })));
    });
  }

  /** The close, once the socket has closed. */
  get closed(): CloseInfo | undefined {
    return this.closeInfo;
  }

  /** Send a frame: objects as JSON, strings as they are (for deliberately malformed input). */
  send(frame: object | string): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame not yet taken that matches, taking it; undefined on close or after `timeoutMs`. */
  next(match: (frame: WireFrame) => boolean, timeoutMs: number): Promise<WireFrame | undefined> {
    return this.waitFor(() => {
      const entry = this.received.find((item) => !this.taken.has(item.index) && item.frame !== undefined && match(item.frame));
      if (entry) {
        this.taken.add(entry.index);
        return entry.frame;
      }
      return this.closeInfo ? null : undefined;
    }, timeoutMs);
  }

  /** The `res` answering request `id`. */
  response(id: string, timeoutMs: number): Promise<WireFrame | undefined> {
    return this.next((frame) => frame.type === "res" && frame.id === id, timeoutMs);
  }

  /** The close, or undefined when the socket is still open after `timeoutMs`. */
  waitClose(timeoutMs: number): Promise<CloseInfo | undefined> {
    return this.waitFor(() => this.closeInfo, timeoutMs);
  }

  /** Responses nobody took: answers to frames a gateway should have ignored show up here. */
  untakenResponses(): WireFrame[] {
    return this.received.filter((item) => !this.taken.has(item.index) && item.frame?.type === "res").map((item) => item.frame!);
  }

  /** Close from our side (if still open) and wait briefly for the close to complete. */
  async end(): Promise<void> {
    if (this.closeInfo) return;
    this.ws.close();
    if (!(await this.waitClose(2000))) this.ws.terminate();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Re-run `probe` on every frame and on close until it gives a value; null counts as "give up now". */
  private waitFor<T>(probe: () => T | null | undefined, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const finish = (value: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        const value = probe();
        if (value === null) finish(undefined);
        else if (value !== undefined) finish(value);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
