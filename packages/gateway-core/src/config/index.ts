// The gateway config file: schema, loading, validation, atomic writes, patches and redaction.

// Schema and defaults
export {
  GatewayConfigSchema,
  DEFAULTS,
  BIND_MODES,
  RELOAD_MODES,
  LOG_LEVELS,
  withDefaults,
  gatewayConfigSchema,
  configJsonSchema,
  parseDurationMs,
  type GatewayConfig,
  type ResolvedGatewayConfig,
  type BindMode,
  type ReloadMode,
  type TranscriptionConfig,
} from "./schema.js";

// Loading and validation
export {
  CONFIG_FILE_NAME,
  resolveStateDir,
  resolveConfigPath,
  loadConfigFile,
  readConfigSnapshot,
  parseConfigText,
  hashConfigText,
  type LoadedConfig,
  type ConfigSnapshot,
} from "./load.js";
export { validateConfig, type ConfigCheckOptions, type ConfigValidation } from "./validate.js";
export type { ChannelConfigSchemas } from "./channel-sections.js";
export { substituteEnv } from "./env-substitution.js";
export { formatConfigIssue, formatConfigIssues, type ConfigIssue } from "./issues.js";

// Writing and patching
export { writeFileAtomic, type AtomicWriteOptions } from "./write.js";
export { applyMergePatch, type MergePatchOptions } from "./merge-patch.js";
export {
  HOT_AREAS,
  RELOAD_RULES,
  changedKeyPaths,
  planReload,
  reloadRuleFor,
  type HotArea,
  type ReloadKind,
  type ReloadPlan,
  type ReloadRule,
} from "./reload-plan.js";

// Secrets
export { REDACTED_SENTINEL, isSecretKey, redactConfig, redactRawText, restoreRedacted, restoreRedactedRaw } from "./redact.js";

// Runtime settings
export {
  resolveGatewaySettings,
  ensureGatewayToken,
  type GatewayFlags,
  type GatewaySettings,
  type GatewayAuthSettings,
  type ResolveSettingsInput,
  type EnsuredToken,
} from "./settings.js";
