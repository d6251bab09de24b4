// What the systemd and launchd halves of `gateway install/status/uninstall` share.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CommandIo } from "../io.js";
import type { RunExternal } from "./external-command.js";

/** What one supervisor call may use: the CLI's io, and a runner whose PATH is the user's. */
export interface SupervisorContext {
  readonly io: CommandIo;
  readonly run: RunExternal;
}

/**
 * What `gateway install` does when systemd lingering is off for the user: `enable` it (`--linger`),
 * `ask` on a terminal, `warn` and leave it off (the non-interactive default), or `skip` the check (`--no-linger`).
 */
export type LingerPolicy = "enable" | "ask" | "warn" | "skip";

/** Lingering after install: it was `on` already, install `enabled` it, it stays `off`, or it was `unchecked`. */
export type LingerOutcome = "on" | "enabled" | "off" | "unchecked";

/** The supervisor's own view of the service, as `gateway status` prints it. */
export type SupervisorView =
  | {
      readonly supervisor: "systemd";
      /** `systemctl --user is-active`: active, inactive, failed, activating, … */
      readonly active: string;
      /** `systemctl --user is-enabled`: enabled, disabled, not-found, … */
      readonly enabled: string;
      /** `loginctl show-user <user> -p Linger`. */
      readonly linger: boolean;
    }
  | {
      readonly supervisor: "launchd";
      readonly loaded: boolean;
      /** `state = …` from `launchctl print`, when loaded. */
      readonly state?: string;
      readonly pid?: number;
    };

/** Write a service file, creating its folder; returns the previous content, if there was a file. */
export function writeServiceFile(path: string, text: string): string | undefined {
  const previous = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode: 0o644 });
  return previous;
}

/** The first line of a command's stdout, trimmed. */
export function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}
