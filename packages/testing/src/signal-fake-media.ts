/**
 * The fake signal-cli daemon's received media: files a fake sender attaches and stickers, kept as
 * signal-cli keeps them after receiving (returned as its envelope JSON), and read back by the
 * `getAttachment` and `getSticker` RPC methods (every read recorded).
 */
import type { SignalClock } from "./signal-fake-clock.js";

/** A file a fake sender attaches; `size` is what the envelope says (the real length unless given). */
export interface SignalFakeAttachment {
  readonly data: Uint8Array;
  readonly contentType: string;
  readonly filename?: string;
  readonly width?: number;
  readonly height?: number;
  readonly size?: number;
}

export function signalMedia(clock: SignalClock) {
  /** The daemon's downloaded attachments by id, and stickers by `<packId>/<stickerId>`. */
  const attachmentFiles = new Map<string, Uint8Array>();
  const stickerFiles = new Map<string, Uint8Array>();
  /** Every getAttachment / getSticker call's params. */
  const mediaReads: { method: string; params: Record<string, unknown> }[] = [];
  let nextAttachment = 1;
  /** Keeps the file as signal-cli does after receiving it; returns its JSON in the envelope. */
  function storeAttachment(attachment: SignalFakeAttachment) {
    const extension = attachment.contentType.split("/")[1]?.split(/[;+]/)[0] ?? "bin";
    const id = `fakeAttachment${String(nextAttachment++).padStart(4, "0")}.${extension}`;
    attachmentFiles.set(id, attachment.data);
    return {
      contentType: attachment.contentType,
      filename: attachment.filename ?? null,
      id,
      size: attachment.size ?? attachment.data.byteLength,
      width: attachment.width ?? null,
      height: attachment.height ?? null,
      caption: null,
      uploadTimestamp: clock.now(),
    };
  }
  function storeSticker(sticker: { packId: string; stickerId: number; data: Uint8Array }) {
    stickerFiles.set(`${sticker.packId}/${sticker.stickerId}`, sticker.data);
    return { packId: sticker.packId, stickerId: sticker.stickerId };
  }

  /** The JSON-RPC answer (`result` or `error`) to a `getAttachment` or `getSticker` call. */
  function read(method: "getAttachment" | "getSticker", params: Record<string, unknown>): Record<string, unknown> {
    mediaReads.push({ method, params });
    if (method === "getAttachment") {
      const id = params["id"];
      const origins = ["recipient", "groupId"].filter((key) => typeof params[key] === "string");
      if (typeof id !== "string" || origins.length !== 1) {
        return { error: { code: -32602, message: "getAttachment needs id and one of recipient or groupId" } };
      }
      const file = attachmentFiles.get(id);
      if (!file) return { error: { code: -1, message: `Could not find attachment with ID: ${id}`, data: null } };
      return { result: { data: Buffer.from(file).toString("base64") } };
    }
    const file = stickerFiles.get(`${String(params["packId"])}/${String(params["stickerId"])}`);
    if (!file) return { error: { code: -1, message: `Could not find sticker with ID: ${String(params["stickerId"])}`, data: null } };
    return { result: { data: Buffer.from(file).toString("base64") } };
  }

  return { mediaReads, storeAttachment, storeSticker, read };
}

export type SignalMedia = ReturnType<typeof signalMedia>;
