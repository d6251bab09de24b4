import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { WebSocket } from "ws";
import type { Admission } from "../handshake/connect.js";
import { truncateCloseReason } from "./close-reason.js";

export type ConnectionPhase = "handshake" | "open" | "closed";

/** One WebSocket peer. Owns its socket; everything above it deals in text frames. */
export class Connection {
  readonly id = randomUUID();
  /** The challenge nonce: single-use, bound to this socket only. */
  readonly nonce = randomUUID();
  readonly openedAt = Date.now();
  phase: ConnectionPhase = "handshake";
  /** The first frame arrived; later pre-hello frames are ignored. */
  handshakeStarted = false;
  admission: Admission | undefined;
  /** Per-connection event counter, so scope-filtered clients see gap-free numbering. */
  seq = 0;
  private readonly aborter = new AbortController();

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string,
    readonly headers: IncomingHttpHeaders,
    readonly local: boolean,
  ) {}

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.phase !== "closed" && this.socket.readyState === this.socket.OPEN;
  }

  send(text: string): void {
    if (this.isOpen) this.socket.send(text);
  }

  close(code: number, reason = ""): void {
    if (this.phase === "closed") return;
    this.markClosed();
    this.socket.close(code, truncateCloseReason(reason));
  }

  /** Hard-kill a socket that does not finish its close handshake (shutdown path). */
  terminate(): void {
    this.markClosed();
    this.socket.terminate();
  }

  markClosed(): void {
    if (this.phase === "closed") return;
    this.phase = "closed";
    this.aborter.abort();
  }
}
