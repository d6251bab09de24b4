import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

export interface ListenOptions {
  readonly hosts: readonly string[];
  /** 0 picks a free port on the first host; the others then use the same one. */
  readonly port: number;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer } | undefined;
  readonly onRequest: (request: IncomingMessage, response: ServerResponse) => void;
  readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Answer an upgrade we will not take, then drop the socket once the answer is out: a peer that
 * keeps sending (or never closes its side) must not hold it open.
 */
export function refuseUpgrade(socket: Duplex, status: string, extraHeaders = ""): void {
  socket.on("error", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n${extraHeaders}content-length: 0\r\n\r\n`, () => socket.destroy());
}

/** One HTTP(S) server per host, all on one port. An extra IPv6 loopback listener is best-effort. */
export async function listenOnHosts(options: ListenOptions): Promise<{ servers: HttpServer[]; port: number }> {
  const servers: HttpServer[] = [];
  let port = options.port;
  for (const [index, host] of options.hosts.entries()) {
    const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }) : createHttpServer();
    server.on("request", options.onRequest);
    server.on("upgrade", options.onUpgrade);
    server.on("clientError", (_error, socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host, port, exclusive: true }, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      // Some hosts have no ::1.
      const code = (error as NodeJS.ErrnoException).code;
      if (index > 0 && host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      await closeServers(servers);
      throw error;
    }
    if (index === 0) port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return { servers, port };
}

/** Close servers and cut their remaining keep-alive connections. */
export function closeServers(servers: HttpServer[]): Promise<void> {
  const closing = servers.splice(0);
  return Promise.all(
    closing.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
}
