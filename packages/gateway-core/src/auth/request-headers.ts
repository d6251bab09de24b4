import type { IncomingHttpHeaders } from "node:http";

/** A request header's first value, trimmed; undefined when absent or blank. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && text.trim().length > 0 ? text.trim() : undefined;
}

/** Whether two user identities name the same user: email addresses compare case-insensitively, other names exactly. */
export function identitiesMatch(a: string, b: string): boolean {
  return a.includes("@") && b.includes("@") ? a.toLowerCase() === b.toLowerCase() : a === b;
}
