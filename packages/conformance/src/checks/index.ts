// The catalogue: every check, in the order they run.
import type { Check } from "../check.js";
import { dispatchChecks } from "./dispatch.js";
import { eventChecks } from "./events.js";
import { handshakeChecks } from "./handshake.js";
import { nodeChecks } from "./node.js";
import { pairingChecks } from "./pairing.js";
import { shapeChecks } from "./shapes.js";

/** Every check the kit has, in run order; ids are unique. */
export function allChecks(): Check[] {
  return [...handshakeChecks(), ...dispatchChecks(), ...eventChecks(), ...shapeChecks(), ...pairingChecks(), ...nodeChecks()];
}

/** The checks whose id starts with one of `prefixes` (all of them when none is given). */
export function selectChecks(checks: readonly Check[], prefixes: readonly string[]): Check[] {
  return prefixes.length === 0 ? [...checks] : checks.filter((check) => prefixes.some((prefix) => check.id.startsWith(prefix)));
}
