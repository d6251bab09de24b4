import { NotFoundError } from "../errors.js";
import type { MediaStore } from "../media/media-store.js";
import type { MethodHandlers } from "./types.js";

/** `media.get`: a stored attachment's bytes (our extension, not advertised; WebChat draws thumbnails from it). */
export function createMediaHandlers(store: MediaStore): MethodHandlers {
  return {
    "media.get": async (params) => {
      const data = await store.read(params.sha256);
      if (!data) throw new NotFoundError(`media.get: no stored file ${params.sha256} (it may have been pruned)`);
      return { sha256: params.sha256, sizeBytes: data.byteLength, data: Buffer.from(data).toString("base64") };
    },
  };
}
