/**
 * The fake signal-cli daemon's `GET /api/v1/events`: Server-Sent Events `event: receive` with ids.
 * The last 1000 events are kept; after `Last-Event-ID` the events after it are replayed first, and
 * all kept events when the id is unknown. Streams can be dropped; connections are counted.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export function signalEvents() {
  const history: { id: number; data: string }[] = [];
  const streams = new Set<ServerResponse>();
  let nextId = 1;
  let connections = 0;
  let maxConcurrent = 0;

  const write = (stream: ServerResponse, entry: { id: number; data: string }) => stream.write(`event: receive\nid: ${entry.id}\ndata: ${entry.data}\n\n`);

  return {
    history,
    /** Sends `data` to every open stream as a new event; returns its id. */
    publish(data: string) {
      const entry = { id: nextId++, data };
      history.push(entry);
      if (history.length > 1000) history.shift();
      for (const stream of streams) write(stream, entry);
      return entry.id;
    },
    /** Opens an event stream on `response`, replaying after `Last-Event-ID` when the client sent one. */
    open(request: IncomingMessage, response: ServerResponse) {
      connections += 1;
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      response.flushHeaders();
      streams.add(response);
      maxConcurrent = Math.max(maxConcurrent, streams.size);
      request.on("close", () => streams.delete(response));
      const lastHeader = request.headers["last-event-id"];
      if (typeof lastHeader === "string") {
        const last = Number(lastHeader);
        const known = history.some((entry) => entry.id === last);
        for (const entry of history) if (!known || entry.id > last) write(response, entry);
      }
    },
    dropStreams() {
      for (const stream of streams) stream.destroy();
      streams.clear();
    },
    /** Ends every stream (on close). */
    close() {
      for (const stream of streams) stream.destroy();
    },
    connectionsOpened: () => connections,
    maxConcurrentConnections: () => maxConcurrent,
    openConnections: () => streams.size,
  };
}
