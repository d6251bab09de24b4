import type { Socket } from "node:net";
import { WebSocket } from "ws";
import { WireMessages } from "@openclaw/protocol";
import { textFrameHeader } from "./text-frame.js";

interface ReceiverInternals {
  _maxPayload?: unknown;
}

/** What ws 8 keeps on its sender: `_state` 0 is idle (not compressing, not reading a Blob), `_queue` what waits. */
interface SenderInternals {
  _state?: unknown;
  _queue?: unknown[];
}

/**
 * The server side of one WebSocket. It starts with the pre-auth frame limit, so an oversized
 * frame is refused at its header (ws closes 1009 before buffering the body), and the limit is
 * raised for this socket alone once the handshake succeeds.
 */
export class GatewaySocket extends WebSocket {
  #preauth = true;

  /** ws closes an oversized frame with a bare 1009; before the handshake it says why. */
  override close(code?: number, data?: string | Buffer): void {
    if (this.#preauth && code === 1009 && (data === undefined || data.length === 0)) {
      super.close(1009, WireMessages.preauthPayloadTooLarge);
      return;
    }
    super.close(code, data);
  }

  /**
   * Send one text frame made of `shared` then `tail` without joining them: the frame's header and
   * both parts are written on the TCP socket in one corked write. A broadcast sends the same large
   * event to thousands of sockets, and copying it into one buffer per recipient made the send loop
   * about 40% slower on Node 24 (a 21 KB event to 5 000 sockets, `tooling/bench/fanout-loop.mjs`).
   * ws's own `send` takes one buffer, so the frame is written here; that is safe only while ws's sender is
   * idle with nothing queued (no compression on this server, no Blob being read), since what ws
   * sends later must follow this frame. Returns false, having written nothing, when it cannot, and
   * the caller sends a joined copy through ws instead.
   */
  sendTextInParts(shared: Buffer, tail: Buffer): boolean {
    if (this.readyState !== WebSocket.OPEN) return false;
    const internals = this as unknown as { _sender?: SenderInternals; _socket?: Socket };
    const sender = internals._sender;
    const socket = internals._socket;
    if (sender?._state !== 0 || sender._queue?.length !== 0 || socket === undefined || !socket.writable) return false;
    socket.cork();
    socket.write(textFrameHeader(shared.length + tail.length));
    socket.write(shared);
    socket.write(tail);
    socket.uncork();
    return true;
  }

  /** Lift the frame limit to the post-auth `policy.maxPayload`, without a second copy of any frame. */
  raiseMaxPayload(bytes: number): void {
    this.#preauth = false;
    // ws keeps its frame limit on the receiver; it is read per frame header, so a change applies from the next frame.
    const receiver = (this as unknown as { _receiver?: ReceiverInternals })._receiver;
    if (receiver === undefined || typeof receiver._maxPayload !== "number") {
      throw new Error("cannot raise the WebSocket frame limit: the ws receiver has no _maxPayload (ws internals changed)");
    }
    receiver._maxPayload = bytes;
  }
}
