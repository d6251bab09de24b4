import { timingSafeEqual } from "node:crypto";

const SHA256_BYTES = 32;
const PLAIN_HEX = /^[0-9a-f]{64}$/i;
const COLON_HEX = /^[0-9a-f]{2}(?::[0-9a-f]{2}){31}$/i;

function fingerprintBytes(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (PLAIN_HEX.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (COLON_HEX.test(trimmed)) return Buffer.from(trimmed.replaceAll(":", ""), "hex");
  return undefined;
}

/**
 * A SHA-256 certificate fingerprint in the form Node reports as
 * `X509Certificate.fingerprint256` and `getPeerCertificate().fingerprint256`:
 * uppercase hex pairs joined by colons. Accepts that form or 64 plain hex digits, any case.
 *
 * @throws RangeError when `text` is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(text: string): string {
  const bytes = fingerprintBytes(text);
  if (bytes === undefined) {
    throw new RangeError(`invalid TLS fingerprint ${JSON.stringify(text)}: expected a SHA-256 fingerprint, 64 hex digits, optionally as colon-separated pairs`);
  }
  return formatFingerprint(bytes);
}

/** Format raw digest bytes as `AB:CD:…`. */
export function formatFingerprint(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("hex")
    .toUpperCase()
    .replace(/(..)(?!$)/g, "$1:");
}

/**
 * Whether two SHA-256 fingerprints name the same certificate, in either accepted form.
 * The bytes are compared in constant time. Anything that is not a valid fingerprint
 * matches nothing, so a malformed pin can never let a certificate through.
 */
export function fingerprintsEqual(a: string, b: string): boolean {
  const left = fingerprintBytes(a);
  const right = fingerprintBytes(b);
  if (left === undefined || right === undefined) return false;
  // Both are SHA256_BYTES long here; timingSafeEqual requires equal lengths.
  return left.length === SHA256_BYTES && right.length === SHA256_BYTES && timingSafeEqual(left, right);
}
