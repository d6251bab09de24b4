/**
 * The Slack fake's Socket Mode WebSocket, on the fake's HTTP server: `hello` on connect,
 * `events_api` envelopes carrying `event_callback` events, acks by `envelope_id` (recorded),
 * redelivery of an event (Slack's retry: same event, `retry_attempt` > 0), `disconnect` messages
 * and dropped sockets. Envelopes pushed while no socket is open wait for the next connection.
 */
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

export function slackSocketMode(server: Server, botUserId: string) {
  const acks: string[] = [];
  const events = new Map<string, Record<string, unknown>>();
  const waiting: string[] = [];
  const sockets = new Set<WebSocket>();
  let connectionsOpened = 0;
  let maxConcurrent = 0;
  let envelopeCounter = 0;

  const wss = new WebSocketServer({ server });
  const deliver = (socket: WebSocket, eventId: string, retryAttempt: number) => {
    const event = events.get(eventId);
    if (!event) return;
    envelopeCounter += 1;
    socket.send(
      JSON.stringify({
        envelope_id: `env-${envelopeCounter}`,
        type: "events_api",
        accepts_response_payload: false,
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt > 0 ? "timeout" : "",
        payload: {
          token: "verification",
          team_id: "T0FAKE",
          api_app_id: "A0FAKE",
          event,
          type: "event_callback",
          event_id: eventId,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: "T0FAKE", user_id: botUserId, is_bot: true }],
        },
      }),
    );
  };
  const live = () => [...sockets].find((socket) => socket.readyState === socket.OPEN);

  wss.on("connection", (socket) => {
    connectionsOpened += 1;
    sockets.add(socket);
    maxConcurrent = Math.max(maxConcurrent, sockets.size);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on("message", (raw) => {
      try {
        const frame = JSON.parse(raw.toString()) as { envelope_id?: string };
        if (frame.envelope_id) acks.push(frame.envelope_id);
      } catch {
        // not JSON: ignore, as Slack does
      }
    });
    socket.send(JSON.stringify({ type: "hello", num_connections: sockets.size, debug_info: { host: "fake" }, connection_info: { app_id: "A0FAKE" } }));
    for (const eventId of waiting.splice(0)) deliver(socket, eventId, 0);
  });

  const push = (eventId: string, retryAttempt = 0) => {
    const socket = live();
    if (socket) deliver(socket, eventId, retryAttempt);
    else waiting.push(eventId);
  };

  return {
    acks,
    /** Keeps `event` under `eventId` and delivers it in an envelope (now, or on the next connection). */
    publish(eventId: string, event: Record<string, unknown>) {
      events.set(eventId, event);
      push(eventId);
    },
    /** Slack retries an event: the same event again in a new envelope. */
    redeliver(eventId: string): boolean {
      if (!events.has(eventId)) return false;
      push(eventId, 1);
      return true;
    },
    requestDisconnect(reason = "refresh_requested") {
      for (const socket of sockets) socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake" } }));
    },
    dropConnection() {
      for (const socket of sockets) socket.terminate();
    },
    connectionsOpened: () => connectionsOpened,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => sockets.size,
    /** Cuts every socket and stops the WebSocket server. */
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
