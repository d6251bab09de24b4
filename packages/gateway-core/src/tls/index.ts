// Loading
export {
  GENERATED_CERT_FILE,
  GENERATED_KEY_FILE,
  RENEW_BEFORE_DAYS,
  loadTlsMaterial,
  type LoadTlsMaterialOptions,
  type TlsMaterial,
  type TlsOptions,
} from "./load-tls-material.js";

// Generation
export {
  GENERATED_COMMON_NAME,
  GENERATED_VALIDITY_DAYS,
  generateSelfSignedCertificate,
  type GenerateSelfSignedOptions,
  type SelfSignedPem,
} from "./self-signed.js";

// Fingerprints
export { fingerprintsEqual, formatFingerprint, normalizeFingerprint } from "./fingerprint.js";
