// Logger
export { createLogger, resolveLogFile, type CreateLoggerOptions, type GatewayLogger, type StdoutStream } from "./create-logger.js";

// Redaction
export { LogRedactor, REDACTED, redactText, redactValue, registerLogSecrets } from "./redaction.js";

// Terminal output
export { formatPrettyLine, type PrettyOptions } from "./pretty.js";
