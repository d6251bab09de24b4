import type { ChannelAdapter, SupportsWebhook } from "@openclaw/channel-kit";
import type { HttpRoute } from "../http/routes.js";

/** @default 1 MiB */
export const WEBHOOK_MAX_BODY_BYTES = 1_048_576;

/**
 * Serves provider webhooks on the gateway port at each running adapter's `webhookPath`. The
 * adapter verifies the signature or secret; bodies over `maxBodyBytes` are refused before it sees them.
 */
export function createWebhookRoute(
  adapterAt: (path: string) => (ChannelAdapter & SupportsWebhook) | undefined,
  maxBodyBytes = WEBHOOK_MAX_BODY_BYTES,
): HttpRoute {
  return async (request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const adapter = adapterAt(path);
    if (!adapter) return false;
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) {
        response.writeHead(413, { connection: "close" }).end();
        request.destroy();
        return true;
      }
      chunks.push(chunk);
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    const answer = await adapter.handleWebhook({ method: "POST", path, headers, rawBody: Buffer.concat(chunks) });
    response.writeHead(answer.status, { "cache-control": "no-store", ...answer.headers });
    response.end(answer.body ?? "");
    return true;
  };
}
