import { isIP } from "node:net";

/** The certificate library (and its x509 stack, ~18 MB) loads only when a certificate is generated. */
async function loadGenerator() {
  return (await import("selfsigned")).generate;
}

/** The subject common name of every certificate the gateway generates. */
export const GENERATED_COMMON_NAME = "openclaw-gateway";
/** Roughly the CA/Browser Forum ceiling for leaf certificates, so browsers accept the lifetime. */
export const GENERATED_VALIDITY_DAYS = 825;

const DAY_MS = 24 * 60 * 60 * 1000;
// Tolerates clients whose clocks run a little behind the gateway's.
const BACKDATE_MS = 60 * 60 * 1000;
const UNSPECIFIED_ADDRESSES = new Set(["0.0.0.0", "::"]);

type AltName = { type: 2; value: string } | { type: 7; ip: string };

export interface GenerateSelfSignedOptions {
  /** Extra DNS names or IP literals to cover, beside localhost, 127.0.0.1 and ::1. @default [] */
  readonly hostnames?: readonly string[];
  /** Start of validity before backdating. @default new Date() */
  readonly now?: Date;
  /** Lifetime in days. @default GENERATED_VALIDITY_DAYS */
  readonly validityDays?: number;
}

export interface SelfSignedPem {
  readonly cert: string;
  readonly key: string;
}

function subjectAltNames(hostnames: readonly string[]): AltName[] {
  const names: AltName[] = [];
  const seen = new Set<string>();
  for (const raw of ["localhost", "127.0.0.1", "::1", ...hostnames]) {
    // Bracketed IPv6 as it appears in URLs and bind strings.
    const host = raw
      .trim()
      .replace(/^\[(.*)\]$/, "$1")
      .toLowerCase();
    if (host.length === 0 || UNSPECIFIED_ADDRESSES.has(host) || seen.has(host)) continue;
    seen.add(host);
    names.push(isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host });
  }
  return names;
}

/**
 * A fresh self-signed server certificate: EC P-256 signed with ECDSA-SHA256, CN
 * `openclaw-gateway`, and SANs for loopback plus `hostnames`. EC rather than RSA
 * because generation takes milliseconds instead of hundreds of them, and every TLS
 * client the gateway talks to supports it.
 */
export async function generateSelfSignedCertificate(options: GenerateSelfSignedOptions = {}): Promise<SelfSignedPem> {
  const now = options.now ?? new Date();
  const notBeforeDate = new Date(now.getTime() - BACKDATE_MS);
  const notAfterDate = new Date(now.getTime() + (options.validityDays ?? GENERATED_VALIDITY_DAYS) * DAY_MS);
  const pems = await (
    await loadGenerator()
  )([{ name: "commonName", value: GENERATED_COMMON_NAME }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      // ECDHE key exchange only needs the key to sign; keyEncipherment is RSA-only.
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: subjectAltNames(options.hostnames ?? []) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
