import { WebSocket } from "ws";
import { WireMessages } from "@openclaw/protocol";

interface ReceiverInternals {
  _maxPayload?: unknown;
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
