import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { Admission } from "../handshake/connect.js";
import { truncateCloseReason } from "./close-reason.js";
import { GatewaySocket } from "./gateway-socket.js";

export type ConnectionPhase = "handshake" | "open" | "closed";

/** The abort reason of every closed connection's signal (one shared error, not a DOMException each). */
const CONNECTION_CLOSED = new Error("connection closed");

/**
 * Sockets corked in this turn of the event loop. Frames sent while a batch of requests is handled
 * (pipelined calls, one broadcast to many clients) leave in one write per socket instead of one
 * system call each; they are flushed once the turn's synchronous work and promise jobs are done.
 */
const corked = new Set<Socket>();
function flushCorked(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** What a settled connection has left of its upgrade headers. */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});

/** Sends a UTF-8 `Buffer` as a text frame (ws would otherwise send it as binary). */
const TEXT_FRAME = { binary: false } as const;

/** One WebSocket peer. Owns its socket; everything above it deals in text frames. */
export class Connection {
  readonly id = randomUUID();
  /** The challenge nonce: single-use, bound to this socket only; empty once the handshake is over. */
  nonce: string = randomUUID();
  readonly openedAt = Date.now();
  phase: ConnectionPhase = "handshake";
  /** The first frame arrived; later pre-hello frames are ignored. */
  handshakeStarted = false;
  admission: Admission | undefined;
  /** Gives back this socket's pre-auth slot; called once the handshake is done (or the socket closes). */
  releaseHandshakeSlot: (() => void) | undefined;
  /** Per-connection event counter, so scope-filtered clients see gap-free numbering. */
  seq = 0;
  /** Made on first use: most connections never hand their signal to anyone. */
  private aborter: AbortController | undefined;

  /** The upgrade request's `Host`, for URLs the client can follow back. */
  readonly host: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly remoteAddress: string,
    /** The upgrade request's headers, for the handshake; empty once it is over (see `settle`). */
    public headers: IncomingHttpHeaders,
    readonly local: boolean,
  ) {
    this.host = headers.host;
  }

  /**
   * The handshake is over and hello-ok is built: drop what only it needed, so a connection holds
   * no more than it uses for the rest of its life. The connect credentials (shared token or
   * password, device token, device signature) and a device token issued in hello-ok leave memory
   * then, instead of staying as long as the socket; so do the upgrade headers and the nonce.
   */
  settle(): void {
    if (this.admission !== undefined) {
      const { auth: _auth, device: _device, ...params } = this.admission.params;
      const { deviceToken: _issued, ...admission } = this.admission;
      this.admission = { ...admission, params };
    }
    this.headers = NO_HEADERS;
    this.nonce = "";
  }

  get signal(): AbortSignal {
    if (this.aborter === undefined) {
      this.aborter = new AbortController();
      if (this.phase === "closed") this.aborter.abort(CONNECTION_CLOSED);
    }
    return this.aborter.signal;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.phase !== "closed" && this.socket.readyState === this.socket.OPEN;
  }

  /** After hello-ok: frames up to the post-auth limit are accepted from now on. */
  raiseFrameLimit(bytes: number): void {
    if (this.socket instanceof GatewaySocket) this.socket.raiseMaxPayload(bytes);
  }

  /**
   * Send one text frame: a string, or its UTF-8 bytes (sent as they are, without another copy).
   * The socket is corked until the turn's work is done, so a batch of answers leaves in one write.
   */
  send(text: string | Buffer): void {
    if (!this.isOpen) return;
    // Without the raw socket, frames simply go out one by one.
    const raw = this.rawSocket();
    if (raw !== undefined && !corked.has(raw)) {
      if (corked.size === 0) process.nextTick(flushCorked);
      raw.cork();
      corked.add(raw);
    }
    this.write(text);
  }

  /** Hand what this socket holds corked to the kernel now rather than when the turn ends (hello-ok before the connect log line). */
  flush(): void {
    const raw = this.rawSocket();
    if (raw !== undefined && corked.delete(raw)) raw.uncork();
  }

  /** ws keeps its net.Socket as `_socket` (ws 8). */
  private rawSocket(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket;
  }

  /**
   * Send one broadcast frame now, behind anything already corked on this socket: the bytes all
   * recipients share, then this one's `tail` (its `seq`). A broadcast sends one frame to each of many
   * sockets; corking them all would hold every frame (10 000 of a 21 KB presence list is 210 MB)
   * until the turn ends instead of handing each to the kernel at once. The shared bytes are not
   * copied per recipient unless ws must send the frame itself (see `GatewaySocket.sendTextInParts`).
   */
  sendBroadcast(shared: Buffer, tail: string): void {
    if (!this.isOpen) return;
    const tailBytes = Buffer.from(tail, "latin1");
    if (this.socket instanceof GatewaySocket && this.socket.sendTextInParts(shared, tailBytes)) return;
    this.write(Buffer.concat([shared, tailBytes], shared.length + tailBytes.length));
  }

  private write(text: string | Buffer): void {
    if (typeof text === "string") this.socket.send(text);
    else this.socket.send(text, TEXT_FRAME);
  }

  /**
   * Start the close handshake. `drainGraceMs` keeps a slow reader's socket open that long for the
   * close frame, which queues behind everything already buffered: ws would cut it after 30 s, and
   * a client paused longer would see 1006 instead of the reason.
   */
  close(code: number, reason = "", options: { drainGraceMs?: number } = {}): void {
    if (this.phase === "closed") return;
    this.markClosed();
    this.socket.close(code, truncateCloseReason(reason));
    if (options.drainGraceMs !== undefined) this.extendCloseTimer(options.drainGraceMs);
  }

  private extendCloseTimer(graceMs: number): void {
    // ws keeps the timer that destroys an unanswered close as `_closeTimer` (ws 8) and clears that field when the socket closes.
    const internals = this.socket as unknown as { _closeTimer?: NodeJS.Timeout };
    const raw = this.rawSocket();
    if (internals._closeTimer === undefined || raw === undefined) return;
    clearTimeout(internals._closeTimer);
    internals._closeTimer = setTimeout(() => raw.destroy(), graceMs);
  }

  /** Hard-kill a socket that does not finish its close handshake (shutdown path). */
  terminate(): void {
    this.markClosed();
    this.socket.terminate();
  }

  markClosed(): void {
    if (this.phase === "closed") return;
    this.phase = "closed";
    this.aborter?.abort(CONNECTION_CLOSED);
  }
}
