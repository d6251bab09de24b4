// One attachment of a channel message, whatever the provider: the envelope every adapter fills in,
// the transcript keeps, and chat.history shows.
import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, NonNegativeInt, StringEnum, closedObject } from "./primitives.js";

export const MEDIA_KINDS = ["image", "sticker", "voice", "audio", "video", "document", "location", "contact"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** A lowercase hex SHA-256: the name of a stored file in the gateway's content-addressed media store. */
export const Sha256Hex = Type.String({ pattern: "^[0-9a-f]{64}$" });

export const MediaLocation = closedObject({
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  name: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
});

export const MediaContact = closedObject({
  name: NonEmptyString,
  phones: Type.Optional(Type.Array(NonEmptyString)),
});

/**
 * One attachment. The file itself is not part of it: once downloaded it is in the media store under
 * `sha256`; `unavailable` says why it is not (over the channel's size cap, the download failed).
 */
export const InboundMedia = closedObject({
  kind: StringEnum(MEDIA_KINDS),
  /** The content type, e.g. `image/jpeg`, `audio/ogg`. */
  mime: Type.Optional(NonEmptyString),
  sizeBytes: Type.Optional(NonNegativeInt),
  fileName: Type.Optional(NonEmptyString),
  /** The text sent with the file. */
  caption: Type.Optional(Type.String()),
  /** Voice notes, audio and video. */
  durationSec: Type.Optional(Type.Number({ minimum: 0 })),
  width: Type.Optional(NonNegativeInt),
  height: Type.Optional(NonNegativeInt),
  /** The stored file, once downloaded. */
  sha256: Type.Optional(Sha256Hex),
  /** Why the file is not stored: too large for the channel's cap, or the download failed. */
  unavailable: Type.Optional(NonEmptyString),
  /** What a voice note or audio file says, from the transcription provider. */
  transcript: Type.Optional(Type.String()),
  location: Type.Optional(MediaLocation),
  contact: Type.Optional(MediaContact),
});
export type InboundMedia = Static<typeof InboundMedia>;

/** Params of `media.get` (our extension): one stored file by its SHA-256. */
export const MediaGetParams = closedObject({ sha256: Sha256Hex });

/** A stored file's bytes, base64: what WebChat shows an image attachment from. */
export const MediaGetResult = closedObject({
  sha256: Sha256Hex,
  sizeBytes: NonNegativeInt,
  /** The file, base64-encoded. */
  data: Type.String(),
});
