/**
 * The Discord fake's gateway WebSocket (JSON encoding, no compression), on the fake's HTTP server:
 * op 10 HELLO, op 2 IDENTIFY → READY (session id, resume URL, user, application, no guilds),
 * op 1 heartbeat → op 11 ACK, op 6 RESUME → replay of the missed dispatches then RESUMED, or
 * op 9 INVALID_SESSION(false) when told to. Dispatches made while no session is connected wait
 * for the next IDENTIFY or RESUME. Controls: drop or close the socket, invalidate the next N
 * resumes, refuse connections (closed at once, before HELLO), and counters.
 */
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

interface Session {
  readonly id: string;
  seq: number;
  /** Every dispatch of the session, for replay after a RESUME. */
  readonly history: { s: number; payload: string }[];
  socket: WebSocket | undefined;
}

export function discordGateway(
  server: Server,
  options: {
    readonly token: string;
    readonly botId: string;
    readonly username: string;
    /** This gateway's URL, for READY's `resume_gateway_url` (known once the server listens). */
    readonly url: () => string;
  },
) {
  const { token, botId, username } = options;
  const sessions = new Map<string, Session>();
  const offline: { t: string; d: Record<string, unknown> }[] = [];
  const sockets = new Set<WebSocket>();
  let invalidateResumes = 0;
  let refuseGateway = false;
  let connections = 0;
  let maxConcurrent = 0;
  let identifies = 0;
  let resumes = 0;
  let current: Session | undefined;

  const wss = new WebSocketServer({ server });
  const sendOp = (socket: WebSocket, payload: Record<string, unknown>) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(payload));

  const dispatch = (session: Session, t: string, d: Record<string, unknown>) => {
    session.seq += 1;
    const payload = JSON.stringify({ op: 0, t, s: session.seq, d });
    session.history.push({ s: session.seq, payload });
    if (session.socket?.readyState === session.socket?.OPEN) session.socket?.send(payload);
  };

  wss.on("connection", (socket) => {
    connections += 1;
    if (refuseGateway) {
      socket.terminate();
      return;
    }
    sockets.add(socket);
    maxConcurrent = Math.max(maxConcurrent, sockets.size);
    socket.on("close", () => {
      sockets.delete(socket);
      for (const session of sessions.values()) if (session.socket === socket) session.socket = undefined;
    });
    socket.on("error", () => undefined);
    sendOp(socket, { op: 10, d: { heartbeat_interval: 40_000 }, s: null, t: null });
    socket.on("message", (raw) => {
      let frame: { op: number; d: Record<string, unknown> | null };
      try {
        frame = JSON.parse(raw.toString()) as typeof frame;
      } catch {
        return socket.close(4002, "Decode error");
      }
      if (frame.op === 1) return sendOp(socket, { op: 11, d: null, s: null, t: null });
      if (frame.op === 2) {
        identifies += 1;
        if (frame.d?.["token"] !== token) return socket.close(4004, "Authentication failed");
        const session: Session = { id: `session-${identifies}`, seq: 0, history: [], socket };
        sessions.set(session.id, session);
        current = session;
        dispatch(session, "READY", {
          v: 10,
          user: { id: botId, username, discriminator: "0", bot: true, avatar: null, global_name: null, flags: 0 },
          guilds: [],
          session_id: session.id,
          resume_gateway_url: options.url(),
          shard: [0, 1],
          application: { id: botId, flags: 0 },
        });
        for (const event of offline.splice(0)) dispatch(session, event.t, event.d);
        return;
      }
      if (frame.op === 6) {
        resumes += 1;
        const session = sessions.get(String(frame.d?.["session_id"]));
        if (!session || invalidateResumes > 0) {
          if (invalidateResumes > 0) invalidateResumes -= 1;
          return sendOp(socket, { op: 9, d: false, s: null, t: null });
        }
        session.socket = socket;
        current = session;
        const since = Number(frame.d?.["seq"] ?? 0);
        for (const entry of session.history) if (entry.s > since) socket.send(entry.payload);
        for (const event of offline.splice(0)) dispatch(session, event.t, event.d);
        dispatch(session, "RESUMED", {});
      }
    });
  });

  return {
    /** Dispatches now when a session is connected; otherwise as a missed event (replayed on RESUME). */
    emit(t: string, d: Record<string, unknown>) {
      if (current) dispatch(current, t, d);
      else offline.push({ t, d });
    },
    dropConnection() {
      current = undefined;
      for (const socket of sockets) socket.terminate();
    },
    closeGateway(code: number, reason = "closed by the fake") {
      current = undefined;
      for (const socket of sockets) socket.close(code, reason);
    },
    refuseGatewayConnections(on: boolean) {
      refuseGateway = on;
    },
    invalidateNextResumes(count: number) {
      invalidateResumes = count;
    },
    connectionsOpened: () => connections,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => sockets.size,
    identifies: () => identifies,
    resumes: () => resumes,
    /** Cuts every socket and stops the WebSocket server. */
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
