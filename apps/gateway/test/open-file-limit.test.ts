import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildProgram, type CommandIo, type RunningGateway } from "../src/index.js";
import { openFileLimit } from "../src/open-file-limit.js";
import { freePort } from "./free-port.js";

let home: string | undefined;
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  [home, gateway] = [undefined, undefined];
});

/** A `/proc/<pid>/limits` file as Linux writes it, with `soft` open files. */
function limitsFile(dir: string, soft: string): string {
  const file = join(dir, "limits");
  writeFileSync(
    file,
    [
      "Limit                     Soft Limit           Hard Limit           Units     ",
      "Max cpu time              unlimited            unlimited            seconds   ",
      `Max open files            ${soft.padEnd(21)}${"524288".padEnd(21)}files     `,
      "Max processes             63448                63448                processes ",
      "",
    ].join("\n"),
  );
  return file;
}

async function startWithLimit(soft: string): Promise<string> {
  home = mkdtempSync(join(tmpdir(), "openclaw-fd-limit-"));
  let err = "";
  const io: CommandIo = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    homedir: home,
    cwd: home,
    limitsFile: limitsFile(home, soft),
  };
  const program = buildProgram(io, { onGatewayStarted: (started) => (gateway = started) });
  await program.parseAsync(["node", "openclaw", "gateway", "run", "--port", String(await freePort()), "--token", "fd-limit-token", "--log-format", "off"]);
  return err;
}

describe("the open file limit", () => {
  it("is read from the soft column; unlimited is infinite; a missing or unreadable file gives nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-limits-"));
    try {
      expect(openFileLimit(limitsFile(dir, "1024"))).toBe(1024);
      expect(openFileLimit(limitsFile(dir, "unlimited"))).toBe(Number.POSITIVE_INFINITY);
      expect(openFileLimit(join(dir, "absent"))).toBeUndefined();
      writeFileSync(join(dir, "garbled"), "Max open files  lots\n");
      expect(openFileLimit(join(dir, "garbled"))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a gateway started under a low limit says so on stderr, with how many connections it can hold and the fix", async () => {
    const err = await startWithLimit("256");
    expect(err).toBe(
      "warning: the open file limit is 256, so this gateway can hold about 192 connections before new ones fail; raise it (ulimit -n 65536, or LimitNOFILE= in the service unit)\n",
    );
  });

  it("a gateway started under a high limit says nothing about it", async () => {
    expect(await startWithLimit("65536")).toBe("");
  });
});
