/** How the fake Bot API answers: `{ok:true,result}` or `{ok:false,error_code,description,parameters}`. */
import type { ServerResponse } from "node:http";

export function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.writableEnded) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

export const ok = (response: ServerResponse, result: unknown) => send(response, 200, { ok: true, result });
export const fail = (response: ServerResponse, code: number, description: string, parameters?: Record<string, unknown>) =>
  send(response, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

/** One Bot API method: the merged query, JSON and multipart fields, and the response to answer. */
export type TelegramMethod = (params: Record<string, unknown>, response: ServerResponse) => Promise<void> | void;
