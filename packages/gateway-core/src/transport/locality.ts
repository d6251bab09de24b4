import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

/** Strip the IPv4-mapped IPv6 prefix so `::ffff:127.0.0.1` compares as `127.0.0.1`. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** 127.0.0.0/8 or ::1. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const normalized = normalizeAddress(address);
  return normalized === "::1" || (isIP(normalized) === 4 && normalized.startsWith("127."));
}

const FORWARDING_HEADERS = ["forwarded", "x-real-ip"];

/** Any sign that a proxy relayed the request: then the socket address is not the client's. */
export function hasForwardingHeaders(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((name) => FORWARDING_HEADERS.includes(name) || name.startsWith("x-forwarded-"));
}

/**
 * Decides whether a peer counts as "local" (silent pairing, rate-limit exemption,
 * device-less helpers). Injectable so tests can treat a second loopback address as LAN.
 */
export type LocalityPredicate = (remoteAddress: string, headers: IncomingHttpHeaders) => boolean;

/** Local means a loopback socket with no forwarded-header evidence. */
export const directLocality: LocalityPredicate = (remoteAddress, headers) => isLoopbackAddress(remoteAddress) && !hasForwardingHeaders(headers);

/** Parse `a.b.c.d/n`, `::1/128` or a bare address into a matcher. */
export function addressMatcher(entry: string): (address: string) => boolean {
  const parts = entry.trim().split("/");
  const [base, bits] = parts;
  const family = isIP(base ?? "");
  if (family === 0 || parts.length > 2) throw new Error(`not an IP address or CIDR: ${entry}`);
  const width = family === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) throw new Error(`bad CIDR prefix in ${entry}`);
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) throw new Error(`bad CIDR prefix in ${entry}`);
  const baseBits = addressBits(base!);
  return (address) => {
    const normalized = normalizeAddress(address);
    if (isIP(normalized) !== family) return false;
    const candidate = addressBits(normalized);
    return candidate >> BigInt(width - prefix) === baseBits >> BigInt(width - prefix);
  };
}

function addressBits(address: string): bigint {
  if (isIP(address) === 4) return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  const [head, tail] = address.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const expandIpv4 = (parts: string[]) =>
    parts.flatMap((part) => {
      if (isIP(part) !== 4) return [part];
      const n = Number(addressBits(part));
      return [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
    });
  const left = expandIpv4(headParts);
  const right = expandIpv4(tailParts);
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group || "0", 16)), 0n);
}
