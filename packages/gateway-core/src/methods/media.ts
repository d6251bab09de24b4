import { InvalidInputError, NotFoundError } from "../errors.js";
import type { MediaStore } from "../media/media-store.js";
import type { MethodHandlers } from "./types.js";

/**
 * The largest file `media.get` answers with: its base64 stays well under a connection's outbound
 * buffer ceiling (`policy.maxBufferedBytes`), which a larger answer would overrun.
 */
export const MEDIA_GET_MAX_BYTES = 8 * 1024 * 1024;

/** `media.get`: a stored attachment's bytes (our extension, not advertised; WebChat draws thumbnails from it). */
export function createMediaHandlers(store: MediaStore): MethodHandlers {
  return {
    "media.get": async (params) => {
      const data = await store.read(params.sha256);
      if (!data) throw new NotFoundError(`media.get: no stored file ${params.sha256} (it may have been pruned)`);
      if (data.byteLength > MEDIA_GET_MAX_BYTES)
        throw new InvalidInputError(`media.get: the file is ${data.byteLength} bytes; media.get answers with files up to ${MEDIA_GET_MAX_BYTES} bytes`);
      return { sha256: params.sha256, sizeBytes: data.byteLength, data: Buffer.from(data).toString("base64") };
    },
  };
}
