// A deliberately simple client for the serve tests, on raw `ws` and the protocol's payload builder,
// that can be wrong in one chosen way: how it signs, how soon it reconnects, whether it waits.
import WebSocket from "ws";
import { createNodeIdentity } from "@openclaw/client/node";
import { base64UrlEncode, buildDeviceAuthPayload, utf8Encode, type DeviceAuthPayloadInput } from "@openclaw/protocol";

export interface RawClientBehaviour {
  readonly token: string;
  /** Change what is signed (the params sent stay as they are). @default sign what is sent, v3 */
  readonly signed?: (input: DeviceAuthPayloadInput) => DeviceAuthPayloadInput;
  /** Delay before reconnect attempt `attempt` (1-based; reset by hello-ok). */
  readonly reconnectDelayMs: (attempt: number) => number;
  /** Send connect as soon as the socket opens, without waiting for the challenge. @default false */
  readonly connectBeforeChallenge?: boolean;
  /** Ask for `health` when event seq jumps. @default true */
  readonly refetchOnGap?: boolean;
  /** Replace fields of `client` in the params (they are signed as sent). */
  readonly client?: Record<string, string>;
  /** `[minProtocol, maxProtocol]`. @default [4, 4] */
  readonly protocol?: readonly [number, number];
  /** Send this text frame after every hello-ok. */
  readonly afterHello?: string;
}

const CLIENT = { id: "cli", version: "1.0.0", platform: "linux", deviceFamily: "Linux", mode: "cli" } as const;

/** Connects to `url` and keeps reconnecting as told until stopped. */
export function startRawClient(url: string, behaviour: RawClientBehaviour): { stop(): void } {
  const identity = createNodeIdentity();
  let stopped = false;
  let attempt = 0;
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function connectFrame(nonce: string, ts: number): Promise<string> {
    const [minProtocol, maxProtocol] = behaviour.protocol ?? [4, 4];
    const client = { ...CLIENT, ...behaviour.client };
    const params = { minProtocol, maxProtocol, client, role: "operator", scopes: ["operator.read"], caps: [], auth: { token: behaviour.token } };
    const input: DeviceAuthPayloadInput = {
      version: "v3",
      deviceId: identity.id,
      clientId: client.id,
      clientMode: client.mode,
      role: "operator",
      scopes: params.scopes,
      signedAtMs: ts,
      token: behaviour.token,
      nonce,
      platform: client.platform,
      deviceFamily: client.deviceFamily,
    };
    const signature = await identity.sign(utf8Encode(buildDeviceAuthPayload(behaviour.signed ? behaviour.signed(input) : input)));
    const device = { id: identity.id, publicKey: identity.publicKey, signature: base64UrlEncode(signature), signedAt: ts, nonce };
    return JSON.stringify({ type: "req", id: "connect-1", method: "connect", params: { ...params, device } });
  }

  function open(): void {
    if (stopped) return;
    const ws = new WebSocket(url);
    socket = ws;
    let lastSeq: number | undefined;
    ws.on("error", () => undefined);
    ws.on("open", () => {
      if (behaviour.connectBeforeChallenge) void connectFrame("guessed-nonce", Date.now()).then((frame) => ws.send(frame));
    });
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "event" && frame.event === "connect.challenge" && !behaviour.connectBeforeChallenge) {
        void connectFrame(frame.payload.nonce, frame.payload.ts).then((text) => ws.readyState === ws.OPEN && ws.send(text));
      } else if (frame.type === "res" && frame.id === "connect-1" && frame.ok) {
        attempt = 0;
        if (behaviour.afterHello !== undefined) ws.send(behaviour.afterHello);
      } else if (frame.type === "event" && typeof frame.seq === "number") {
        if (lastSeq !== undefined && frame.seq > lastSeq + 1 && (behaviour.refetchOnGap ?? true))
          ws.send(JSON.stringify({ type: "req", id: `h-${frame.seq}`, method: "health", params: {} }));
        lastSeq = frame.seq;
      }
    });
    ws.on("close", () => {
      if (stopped) return;
      attempt += 1;
      timer = setTimeout(open, behaviour.reconnectDelayMs(attempt));
    });
  }

  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.terminate();
    },
  };
}
