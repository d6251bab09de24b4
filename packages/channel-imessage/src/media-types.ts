// File extensions and content types of what iMessage carries: to name an attachment imsg gave no
// type for, and to give a file we send a name Messages can tell the type of.

const TYPES: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  heic: "image/heic",
  webp: "image/webp",
  caf: "audio/x-caf",
  m4a: "audio/mp4",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/wav",
  mov: "video/quicktime",
  mp4: "video/mp4",
  pdf: "application/pdf",
  txt: "text/plain",
  vcf: "text/vcard",
};

/** `photo.JPG` → `jpg`; undefined without one. */
export function extensionOf(name: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match?.[1]?.toLowerCase();
}

/** The content type a file name's extension stands for, when it is one of the common ones. */
export function typeOfName(name: string): string | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : TYPES[extension];
}

/** The usual extension of a content type (`image/jpeg` → `jpg`). */
export function extensionOfType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return Object.entries(TYPES).find(([, candidate]) => candidate === type)?.[0];
}

/** `name` with its extension replaced by `extension` (`Audio Message.caf` → `Audio Message.m4a`). */
export function withExtension(name: string, extension: string): string {
  const dot = name.lastIndexOf(".");
  return `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
}
