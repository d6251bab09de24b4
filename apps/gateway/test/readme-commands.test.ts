import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, type CommandIo } from "../src/index.js";

/** Every command the package README's table names exists in the CLI, so the table cannot promise one that is gone. */

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const sink = { write: () => true };
const io: CommandIo = { stdout: sink, stderr: sink, env: {}, homedir: "/nonexistent", cwd: "/nonexistent" };

/** The command words of a backticked span: up to the first option, argument or value. */
function words(span: string): string[] {
  const result: string[] = [];
  for (const word of span.replace(/\[(\w+)\]/g, "$1").split(/\s+/)) {
    if (!/^[a-z][a-z-]*$/.test(word)) break;
    result.push(word);
  }
  return result;
}

/** The command paths a table row names: `openclaw a b` / `c` means `a b` and `a c`. */
function pathsOf(cell: string): string[][] {
  const paths: string[][] = [];
  let parent: string[] = [];
  for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
    const named = words(span!);
    if (named[0] === "openclaw") {
      const path = named.slice(1);
      paths.push(path);
      parent = path.slice(0, -1);
    } else if (named.length > 0) {
      paths.push([...parent, ...named]);
    }
  }
  return paths;
}

/** The actions a command takes as its first argument (`devices <action>`), as its help lists them: `list | approve | …`. */
function actionsOf(command: Command): string[] {
  const first = command.registeredArguments[0];
  return first?.name() === "action" ? first.description.split("|").map((action) => action.trim()) : [];
}

function find(program: Command, path: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const [index, name] of path.entries()) {
    const parent: Command | undefined = command;
    command = parent?.commands.find((child) => child.name() === name || child.aliases().includes(name));
    // The last word may be an action the command takes as its argument.
    if (command === undefined && parent !== undefined && index === path.length - 1 && actionsOf(parent).includes(name)) return parent;
  }
  return command;
}

describe("the @openclaw/gateway README's command table", () => {
  const rows = README.split("\n").filter((line) => line.startsWith("| `openclaw "));
  const paths = rows.flatMap((row) => pathsOf(row.split("|")[1]!));

  it("names commands, and at least the setup commands", () => {
    const named = paths.map((path) => path.join(" "));
    expect(named).toEqual(expect.arrayContaining(["onboard", "configure", "config get", "channels add", "doctor", "backup create"]));
  });

  it("names only commands the CLI has", () => {
    const program = buildProgram(io, { onGatewayStarted: () => undefined });
    const missing = paths.filter((path) => find(program, path) === undefined).map((path) => `openclaw ${path.join(" ")}`);
    expect(missing).toEqual([]);
  });
});
