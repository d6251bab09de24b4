/**
 * An identity-aware reverse proxy for tests, built on `http-proxy` (the library many Node
 * deployments front services with): it logs clients in by a bearer session token, as an
 * oauth2-proxy or Pomerium would by cookie, and forwards HTTP and WebSocket upgrades to the
 * gateway with the user in a header. Client-sent copies of the headers it sets are dropped.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import httpProxy from "http-proxy";

export interface IdentityProxyOptions {
  /** The gateway, e.g. `http://127.0.0.1:18789`. */
  readonly target: string;
  /** The address the proxy connects to the gateway from (any 127.x.y.z works on Linux). */
  readonly localAddress?: string;
  /** The address the proxy listens on. @default "127.0.0.1" */
  readonly host?: string;
  /** Session token (sent as `authorization: Bearer <token>`) → user name. */
  readonly sessions: Readonly<Record<string, string>>;
  /** Where the user goes. @default "x-forwarded-user" */
  readonly userHeader?: string;
  /** Headers set on every forwarded request besides the user and `X-Forwarded-For`. @default { "x-forwarded-proto": "https" } */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The client address put in `X-Forwarded-For`, as a proxy behind a load balancer that already
   * resolved it would. @default the address of the client's socket
   */
  readonly clientAddress?: string;
}

export interface IdentityProxy {
  /** `ws://host:port` of the proxy. */
  readonly url: string;
  /** Upgrades the proxy refused because the session token was unknown. */
  readonly refused: number;
  close(): Promise<void>;
}

function sessionUser(request: IncomingMessage, sessions: Readonly<Record<string, string>>): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  return token !== undefined && Object.hasOwn(sessions, token) ? sessions[token] : undefined;
}

/** Start the proxy on port 0. */
export async function startIdentityProxy(options: IdentityProxyOptions): Promise<IdentityProxy> {
  const userHeader = (options.userHeader ?? "x-forwarded-user").toLowerCase();
  const extra = options.headers ?? { "x-forwarded-proto": "https" };
  const proxy = httpProxy.createProxyServer({ target: options.target, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  proxy.on("error", (_error, _request, target) => {
    if (target && "destroy" in target) (target as Duplex).destroy();
  });
  let refused = 0;
  // Both ends of every proxied WebSocket, so close() can cut them.
  const upgraded = new Set<Duplex>();
  const track = (socket: Duplex) => {
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
  };
  proxy.on("open", (proxySocket: Duplex) => track(proxySocket));

  /** The headers the gateway gets: the client's own minus anything that would claim an identity. */
  const forwardHeaders = (request: IncomingMessage, user: string): Record<string, string> => {
    for (const name of Object.keys(request.headers)) {
      if (name === userHeader || name === "authorization" || name.startsWith("x-forwarded-") || name === "x-openclaw-scopes") delete request.headers[name];
    }
    return { ...extra, [userHeader]: user, "x-forwarded-for": options.clientAddress ?? request.socket.remoteAddress ?? "" };
  };

  const server: Server = createServer((request, response) => {
    const user = sessionUser(request, options.sessions);
    if (user === undefined) {
      response.writeHead(401).end();
      return;
    }
    proxy.web(request, response, { headers: forwardHeaders(request, user) });
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    track(socket);
    const user = sessionUser(request, options.sessions);
    if (user === undefined) {
      refused += 1;
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    proxy.ws(request, socket, head, { headers: forwardHeaders(request, user) });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}`,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        // Upgraded sockets left the HTTP server's bookkeeping; the proxy still owns them.
        for (const socket of upgraded) socket.destroy();
        server.close(() => {
          proxy.close();
          resolve();
        });
      }),
  };
}
