import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { allChecks, runChecks, type CheckContext, type CheckResult } from "../src/index.js";
import { call, connectOperator } from "../src/session.js";

/** One deliberate defect laid over a real gateway's answers. */
export interface Tampering {
  /** Change a gateway frame on its way to the client; `method` is the method a `res` answers. */
  readonly toClient?: (frame: any, method: string | undefined) => any;
  /** Change a client frame on its way to the gateway. */
  readonly toGateway?: (frame: any) => any;
  /** Keep the client's socket open when the gateway closes it with this code (a gateway that never closes). */
  readonly swallowClose?: (code: number) => boolean;
  /** Pass the gateway's close on with another code or reason. */
  readonly rewriteClose?: (code: number, reason: string) => { code: number; reason: string };
}

/**
 * A WebSocket proxy on 127.0.0.1 in front of a real gateway, passing everything through except the
 * one defect it is given. A page's `Origin` is rewritten to the gateway's own, as if the page had
 * been served by it.
 */
export async function startTamperingProxy(upstream: string, tampering: Tampering): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const upstreamOrigin = upstream.replace(/^ws/, "http");
  const sockets = new Set<WebSocket>();
  wss.on("connection", (down, request) => {
    const up = new WebSocket(upstream, { perMessageDeflate: false, ...(request.headers.origin ? { origin: upstreamOrigin } : {}) });
    sockets.add(up).add(down);
    const queued: string[] = [];
    const methods = new Map<unknown, string>();
    up.on("open", () => queued.splice(0).forEach((text) => up.send(text)));
    up.on("error", () => down.terminate());
    down.on("error", () => up.terminate());
    down.on("message", (data) => {
      let text = data.toString();
      try {
        const frame = JSON.parse(text);
        if (frame?.type === "req") methods.set(frame.id, frame.method);
        if (tampering.toGateway) text = JSON.stringify(tampering.toGateway(frame));
      } catch {
        // not JSON: passed on as it is
      }
      if (up.readyState === WebSocket.OPEN) up.send(text);
      else queued.push(text);
    });
    up.on("message", (data) => {
      let text = data.toString();
      if (tampering.toClient) {
        const frame = JSON.parse(text);
        text = JSON.stringify(tampering.toClient(frame, frame?.type === "res" ? methods.get(frame.id) : undefined));
      }
      if (down.readyState === WebSocket.OPEN) down.send(text);
    });
    up.on("close", (code, reason) => {
      if (tampering.swallowClose?.(code)) return;
      if (down.readyState !== WebSocket.OPEN) return;
      if (code === 1005 || code === 1006) down.close(1000);
      else if (tampering.rewriteClose) {
        const rewritten = tampering.rewriteClose(code, reason.toString());
        down.close(rewritten.code, rewritten.reason);
      } else down.close(code, reason);
    });
    down.on("close", () => up.close());
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Run the one check with this id. */
export async function runOne(id: string, context: CheckContext): Promise<CheckResult> {
  const [result] = await runChecks(
    allChecks().filter((check) => check.id === id),
    context,
  );
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

/** The device ids a gateway lists as pending or paired, and the node ids with a pending or approved surface. */
export async function pairingState(context: CheckContext): Promise<{ devices: string[]; nodes: string[] }> {
  const { connection } = await connectOperator(context, ["operator.admin"]);
  try {
    const devices = (await call(connection, context, "device.pair.list", {}))?.payload;
    const nodes = (await call(connection, context, "node.pair.list", {}))?.payload;
    return {
      devices: [...devices.pending, ...devices.paired].map((entry: { deviceId: string }) => entry.deviceId),
      nodes: [...nodes.pending, ...nodes.paired].map((entry: { nodeId: string }) => entry.nodeId),
    };
  } finally {
    await connection.end();
  }
}
