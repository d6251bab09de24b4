// Recording stand-ins for systemctl, loginctl and launchctl: shell scripts on a temp PATH that append their
// command line to a log and answer from a table, so a test can assert exactly what the CLI ran.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a stub prints and how it exits for one command line. @default exit 0, no output */
export interface StubReply {
  readonly code?: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** Replies keyed by the arguments joined with single spaces, e.g. `"--user is-active openclaw-gateway.service"`. */
export type StubReplies = Readonly<Record<string, StubReply>>;

export interface SupervisorStubs {
  /** The temp folder: `home/` is HOME, `bin/` holds the stubs and is the whole PATH. */
  readonly root: string;
  readonly home: string;
  readonly bin: string;
  /** Add (or replace) a stub: `stub("systemctl", { "--user daemon-reload": { code: 1, stderr: "…" } })`. */
  stub(name: string, replies?: StubReplies): void;
  /** Every command line the stubs saw, in order, as `name arg arg…`. */
  calls(): string[];
  /** Forget the calls so far. */
  clearCalls(): void;
  dispose(): void;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A temp HOME and a PATH holding nothing but the stubs added to it (`/bin/sh` runs them; they use only builtins). */
export function supervisorStubs(): SupervisorStubs {
  const root = mkdtempSync(join(tmpdir(), "openclaw-service-"));
  const home = join(root, "home");
  const bin = join(root, "bin");
  const log = join(root, "calls.log");
  mkdirSync(home);
  mkdirSync(bin);
  return {
    root,
    home,
    bin,
    stub(name, replies = {}) {
      const cases = Object.entries(replies).map(
        ([args, reply]) =>
          `  ${shellQuote(args)})\n    printf '%s' ${shellQuote(reply.stdout ?? "")}\n    printf '%s' ${shellQuote(reply.stderr ?? "")} >&2\n    exit ${reply.code ?? 0} ;;`,
      );
      const script = ["#!/bin/sh", `printf '%s\\n' ${shellQuote(name)}" $*" >> ${shellQuote(log)}`, 'case "$*" in', ...cases, "esac", "exit 0", ""].join("\n");
      writeFileSync(join(bin, name), script);
      chmodSync(join(bin, name), 0o755);
    },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
    clearCalls: () => rmSync(log, { force: true }),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
