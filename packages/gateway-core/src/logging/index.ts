// Logger
export { createLogger, resolveLogFile, type CreateLoggerOptions, type GatewayLogger, type StdoutStream } from "./create-logger.js";

// Terminal output
export { formatPrettyLine, type PrettyOptions } from "./pretty.js";
