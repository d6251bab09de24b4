import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildProgram, type CommandIo, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

let home: string | undefined;
let gateway: RunningGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  [home, gateway] = [undefined, undefined];
});

describe("gateway start hooks", () => {
  it("hand the entry file the signals before the gateway says it is listening", async () => {
    home = mkdtempSync(join(tmpdir(), "openclaw-hooks-"));
    let out = "";
    const io: CommandIo = { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: {}, homedir: home, cwd: home };
    const seen: string[] = [];
    const program = buildProgram(io, {
      onGatewayStarting: () => seen.push(`starting, listening shown: ${out.includes("listening on")}`),
      onGatewayStarted: (started) => {
        gateway = started;
        seen.push(`started, listening shown: ${out.includes("listening on")}`);
      },
    });
    await program.parseAsync(["node", "openclaw", "gateway", "run", "--port", String(await freePort()), "--token", "hooks-token", "--log-format", "off"]);
    expect(seen).toEqual(["starting, listening shown: false", "started, listening shown: true"]);
  });
});
