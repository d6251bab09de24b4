// @openclaw/conformance: protocol v4 conformance checks for any OpenClaw gateway.

// Checks
export {
  pass,
  fail,
  skip,
  type Check,
  type CheckContext,
  type CheckLevel,
  type CheckOutcome,
  type CheckResult,
  type CheckStatus,
  type OutcomeNotes,
  withNotes,
  type GatewayCredential,
} from "./check.js";
export { allChecks, selectChecks } from "./checks/index.js";

// Running and reporting
export { runChecks, probeGateway, type RunHooks } from "./run.js";
export { summarize, exitCodeFor, progressLine, resultsTable, listTable, jsonReport, junitReport, type Summary } from "./report.js";
export { runCli, USAGE, DEFAULT_URL, EXIT_USAGE, type CliIo, type CliOptions } from "./cli.js";

// Errors
export { ConformanceError, GatewayUnreachableError, UsageError } from "./errors.js";
