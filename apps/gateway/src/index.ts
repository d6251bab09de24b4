// @openclaw/gateway: the composition root. Commands are functions that take options objects.

// Commands
export { runGateway, bindHosts, type GatewayRunOptions, type RunningGateway } from "./commands/gateway-run.js";
export { buildProgram, type ProgramHooks } from "./program.js";

// Plumbing
export { CliError, type CommandIo } from "./io.js";
export { GATEWAY_VERSION } from "./version.js";
