import type { InboundMediaFact } from "./adapter.js";

/** An attachment's fields as a provider sends them: any of them may be missing, null or empty. */
export interface MediaFields {
  readonly kind?: InboundMediaFact["kind"];
  readonly durationSec?: number | null | undefined;
  readonly width?: number | null | undefined;
  readonly height?: number | null | undefined;
  readonly url?: string | null | undefined;
  readonly path?: string | null | undefined;
  readonly contentType?: string | null | undefined;
  readonly sizeBytes?: number | null | undefined;
  readonly fileName?: string | null | undefined;
}

type Fact = { -readonly [K in keyof InboundMediaFact]: InboundMediaFact[K] };

/** One attachment as facts, with only what the provider gave: empty strings and sizes that are not numbers are left out. */
export function inboundMediaFact(fields: MediaFields): InboundMediaFact {
  const fact: Fact = {};
  const text = (value: string | null | undefined) => (typeof value === "string" && value !== "" ? value : undefined);
  const url = text(fields.url);
  const path = text(fields.path);
  const contentType = text(fields.contentType);
  const fileName = text(fields.fileName);
  if (url !== undefined) fact.url = url;
  if (path !== undefined) fact.path = path;
  if (contentType !== undefined) fact.contentType = contentType;
  if (fields.kind !== undefined) fact.kind = fields.kind;
  if (typeof fields.sizeBytes === "number") fact.sizeBytes = fields.sizeBytes;
  for (const key of ["durationSec", "width", "height"] as const) {
    const value = fields[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) fact[key] = value;
  }
  if (fileName !== undefined) fact.fileName = fileName;
  return fact;
}
