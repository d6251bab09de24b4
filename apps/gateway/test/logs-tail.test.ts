import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runGateway, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

let gateway: RunningGateway | undefined;
let home: string | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  if (home) rmSync(home, { recursive: true, force: true });
});

function sink() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe("runGateway in-process", () => {
  it("serves its own log through logs.tail, in records the OpenClaw CLI can render", async () => {
    home = mkdtempSync(join(tmpdir(), "openclaw-run-"));
    const stdout = sink();
    gateway = await runGateway({
      io: { stdout, stderr: sink(), env: { OPENCLAW_STATE_DIR: join(home, "state") }, homedir: home, cwd: home },
      flags: { port: await freePort(), token: "tok-for-test" },
      stdout: "off",
    });
    const ws = new WebSocket(gateway.url);
    const answer = await new Promise<any>((resolve) => {
      ws.on("message", (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.event === "connect.challenge") {
          ws.send(
            JSON.stringify({
              type: "req",
              id: "c",
              method: "connect",
              params: {
                minProtocol: 4,
                maxProtocol: 4,
                client: { id: "cli", version: "1", platform: "linux", mode: "cli" },
                scopes: ["operator.read"],
                auth: { token: "tok-for-test" },
              },
            }),
          );
        } else if (frame.id === "c") ws.send(JSON.stringify({ type: "req", id: "t", method: "logs.tail", params: { limit: 5, maxBytes: 250000 } }));
        else if (frame.id === "t") resolve(frame);
      });
    });
    ws.close();
    expect(answer.ok).toBe(true);
    expect(answer.payload.file).toBe(join(home, "state", "logs", "gateway.log"));
    const records = (answer.payload.lines as string[]).map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThanOrEqual(5);
    const listening = records.find((record) => record.message === "gateway listening");
    expect(listening).toMatchObject({ level: "info", subsystem: "gateway", time: expect.stringMatching(/Z$/) });
    expect(stdout.text()).toContain("listening on ws://127.0.0.1:");
  });
});
