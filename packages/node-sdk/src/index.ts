// @openclaw/node-sdk: build OpenClaw nodes on @openclaw/client. Node-only (keys, files, child processes).

// Node
export { createNode, type CreateNodeOptions, type GatewayNode } from "./create-node.js";
export { pendingPairing, type NodeStatus } from "./status.js";

// Commands
export type {
  WellKnownCommands,
  WellKnownCommandName,
  CommandHandler,
  CommandHandlers,
  HandlerFor,
  InvokeContext,
  LocationAccuracy,
  LocationGetParams,
  LocationGetResult,
  CameraDevice,
  CameraSnapParams,
  CameraSnapResult,
  CanvasSnapshotParams,
  SystemNotifyParams,
  SystemWhichParams,
  SystemWhichResult,
  SystemRunParams,
  SystemRunResult,
} from "./commands.js";
export { MAX_PROGRESS_CHUNK } from "./invoke-runner.js";

// Errors
export {
  NodeSdkError,
  NodeCommandError,
  NodeInvokeTimeoutError,
  NodeInvokeCancelledError,
  NodeDisconnectedError,
  NodeConfigError,
  toWireError,
} from "./errors.js";

// Host helpers (headless nodes that run programs)
export { runArgv, filterEnv, DEFAULT_RUN_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_ENV_ALLOWLIST, type RunArgvOptions } from "./host/run-argv.js";
export { findExecutable, whichBins } from "./host/which.js";
export {
  createGatewayExecApprover,
  commandText,
  type ExecApprover,
  type ExecApprovalAsk,
  type ExecDecision,
  type GatewayExecApproverOptions,
} from "./host/exec-approver.js";
