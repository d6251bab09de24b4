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

// Checking a client: serve
export { startServe, type ServeOptions, type ServeRun } from "./serve/server.js";
export { runServeCli, SERVE_USAGE, type ServeCliOptions } from "./serve/cli.js";
export { CLIENT_CHECKS, judgeClient, type ClientCheckInfo, type ClientCheckSettings } from "./serve/client-checks.js";
export { evaluateBackoff, reconnectGaps, BACKOFF_GROWTH, BACKOFF_PLATEAU_MS, BACKOFF_FLOOR_MS } from "./serve/backoff.js";
export { verifyDeviceProof, type ProofVerdict, type ProofContext } from "./serve/device-proof.js";
export { monotonicClock, type Clock } from "./serve/timers.js";
export type { ClientRecord, SocketRecord, ClientFrame, SeqGapRecord, SocketEnd } from "./serve/record.js";

// Errors
export { ConformanceError, GatewayUnreachableError, UsageError } from "./errors.js";
export { ServeListenError, NoClientError } from "./serve/errors.js";
