// @openclaw/gateway: the composition root. Commands are functions that take options objects.

// Commands
export { runGateway, bindHosts, type GatewayRunOptions, type RunningGateway } from "./commands/gateway-run.js";
export { buildProgram, type ProgramHooks } from "./program.js";
export { runNodeHost, parseLocation, NODE_HOST_COMMANDS, type NodeRunOptions, type NodeRunFlags, type RunningNodeHost } from "./commands/node-run.js";

// Plumbing
export { CliError, GatewayUnreachableError, MissingCredentialsError, UnknownIdError, AmbiguousIdError } from "./errors.js";
export type { CommandIo } from "./io.js";
export { GATEWAY_VERSION } from "./version.js";
