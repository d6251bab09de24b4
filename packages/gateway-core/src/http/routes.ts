import type { IncomingMessage, ServerResponse } from "node:http";

/** A route answers a request, or returns false to let the next one try. */
export type HttpRoute = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** Liveness and readiness probes; they reveal nothing beyond up/ready. */
export function probeRoutes(isReady: () => boolean): HttpRoute {
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== "/healthz" && path !== "/readyz") return false;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return true;
    }
    if (path === "/healthz") sendJson(response, 200, { ok: true });
    else if (isReady()) sendJson(response, 200, { ready: true });
    else sendJson(response, 503, { ready: false });
    return true;
  };
}

/** Run routes in order; anything no route claims is a 404. */
export async function handleHttp(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    for (const route of routes) if (await route(request, response)) return;
    sendJson(response, 404, { error: "not found" });
  } catch {
    if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
    else response.destroy();
  }
}
