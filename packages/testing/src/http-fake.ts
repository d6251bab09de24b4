import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined for a GET or a multipart form. */
  readonly body: unknown;
  /** The body's bytes as received. */
  readonly rawBody: Buffer;
  /** Settles when the response closes; `early` when the client went away before it was finished. */
  readonly closed: Promise<{ readonly early: boolean }>;
}

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (a client reusing keep-alive sockets opens fewer than it sends requests). */
  connectionsOpened(): number;
  /** Connections the client ended (its FIN arrived), as opposed to ones this server closed or that are open. */
  connectionsEndedByClient(): number;
  close(): Promise<void>;
}

export interface HttpFakeOptions {
  /** How long an idle keep-alive connection stays open; Node announces it as `Keep-Alive: timeout=<s>`. @default Node's 5000 */
  readonly keepAliveTimeoutMs?: number;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => Promise<void>;

/** A real HTTP server on port 0 that records every request and hands it to `handle`. */
export async function startHttpFake(handle: FakeHandler, options: HttpFakeOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  let endedByClient = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const text = rawBody.toString("utf8");
      const multipart = /^multipart\//i.test(req.headers["content-type"] ?? "");
      const closed = new Promise<{ early: boolean }>((resolve) => res.on("close", () => resolve({ early: !res.writableFinished })));
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: text === "" || multipart ? undefined : (JSON.parse(text) as unknown),
        rawBody,
        closed,
      };
      requests.push(recorded);
      handle(recorded, res).catch((error: unknown) => {
        // A fake bug should fail the test loudly, not hang it.
        if (!res.headersSent) sendJson(res, 500, { error: { message: `fake failed: ${String(error)}` } });
        else res.destroy();
      });
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on("connection", (socket) => {
    connections += 1;
    socket.once("end", () => (endedByClient += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connectionsOpened: () => connections,
    connectionsEndedByClient: () => endedByClient,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
}

/**
 * Writes one SSE frame in two writes split mid-way (possibly inside a UTF-8 character), as
 * proxies re-chunk streams, so the client's parser must buffer partial lines.
 */
export async function writeFrame(res: ServerResponse, frame: string): Promise<void> {
  const bytes = Buffer.from(frame, "utf8");
  const middle = Math.floor(bytes.length / 2);
  await write(res, bytes.subarray(0, middle));
  await write(res, bytes.subarray(middle));
}

function write(res: ServerResponse, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => res.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** Cuts the connection without finishing the chunked body, as a dropped proxy does. */
export function cutConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Waits until the client goes away; a hung upstream never ends the body itself. */
export async function hangUntilClosed(request: RecordedRequest): Promise<void> {
  await request.closed;
}
