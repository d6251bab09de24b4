import { describe, expect, it } from "vitest";
import {
  ConnectChallenge,
  ConnectParams,
  EVENTS,
  HealthSnapshot,
  HelloOk,
  METHODS,
  RequestFrame,
  StatusResult,
  acceptsServerValue,
  parseServerFrame,
  serverValueProblems,
  type MethodName,
} from "../src/index.js";
import { FRAME_FILES, readFixture, readFrames, strictCheck } from "./helpers.js";

describe("captures of the real OpenClaw 2026.9.6 gateway", () => {
  it("hello-ok, health and status fit the client view", () => {
    const hello = JSON.parse(readFixture("hello-ok.json"));
    expect(serverValueProblems(HelloOk, hello)).toEqual([]);
    expect(acceptsServerValue(HealthSnapshot, JSON.parse(readFixture("health.json")))).toBe(true);
    expect(acceptsServerValue(StatusResult, JSON.parse(readFixture("status.json")))).toBe(true);
    expect(acceptsServerValue(ConnectChallenge, JSON.parse(readFixture("connect-challenge.json")))).toBe(true);
  });

  it("the client view still rejects a wrong shape", () => {
    const hello = JSON.parse(readFixture("hello-ok.json"));
    delete hello.policy;
    expect(acceptsServerValue(HelloOk, hello)).toBe(false);
    expect(acceptsServerValue(HealthSnapshot, { ok: "yes" })).toBe(false);
  });

  for (const file of FRAME_FILES) {
    describe(file, () => {
      const lines = readFrames(file);
      const requests = new Map<string, string>();

      it("every client frame passes the gateway's closed validation", () => {
        const sent = lines.filter((line) => line.dir === "c2s");
        expect(sent.length).toBeGreaterThan(0);
        for (const line of sent) {
          expect(strictCheck(RequestFrame, line.frame).message).toBe("");
          const frame = line.frame as { id: string; method: string; params?: unknown };
          requests.set(frame.id, frame.method);
          const descriptor = METHODS[frame.method as MethodName];
          expect(descriptor, `method ${frame.method} is in the registry`).toBeDefined();
          expect(strictCheck(descriptor.params, frame.params ?? {}).message).toBe("");
        }
        const connect = sent[0]!.frame as { params: unknown };
        expect(strictCheck(ConnectParams, connect.params).ok).toBe(true);
      });

      it("every complete server frame parses with the client view, and so do the results and events", () => {
        for (const line of lines) {
          if (line.dir !== "s2c" || line.frame === undefined || line.frame["truncated"] === true) continue;
          const parsed = parseServerFrame(JSON.stringify(line.frame));
          expect(parsed.ok ? "" : parsed.error).toBe("");
          if (!parsed.ok) continue;
          const frame = parsed.frame;
          if (frame.type === "event") {
            const descriptor = EVENTS[frame.event as keyof typeof EVENTS];
            expect(descriptor, `event ${frame.event} is in the registry`).toBeDefined();
            expect(serverValueProblems(descriptor.payload, frame.payload)).toEqual([]);
          } else if (frame.ok) {
            const method = requests.get(frame.id) as MethodName | undefined;
            if (method === undefined) continue;
            expect(serverValueProblems(METHODS[method].result, frame.payload), `result of ${method}`).toEqual([]);
          }
        }
      });
    });
  }

  it("the captured sessions, agents and models answers fit the client view of their result schemas", () => {
    const answers: [MethodName, string][] = [
      ["sessions.patch", "sessions-patch-levels.json"],
      ["sessions.create", "sessions-create.json"],
      ["sessions.list", "sessions-list.json"],
      ["agents.list", "agents-list.json"],
      ["models.list", "models-list.json"],
    ];
    for (const [method, file] of answers) {
      expect(serverValueProblems(METHODS[method].result, JSON.parse(readFixture(`captures/${file}`))), file).toEqual([]);
    }
  });

  it("the params the TUI sends for /new, /think, its session refresh and its model picker pass the gateway's closed validation", () => {
    const calls: [MethodName, unknown][] = [
      [
        "sessions.create",
        { key: "tui-5ca2b005-f785-4c7a-803d-0dfc526c8f55", agentId: "main", parentSessionKey: "agent:main:main", succeedsParent: true, emitCommandHooks: true },
      ],
      ["sessions.create", { key: "tui-5ca2b005-f785-4c7a-803d-0dfc526c8f55", agentId: "main" }],
      ["sessions.patch", { key: "agent:main:main", thinkingLevel: "high" }],
      ["sessions.patch", { key: "main", agentId: "main", thinkingLevel: null }],
      ["sessions.describe", { key: "agent:main:main" }],
      ["sessions.describe", { key: "main", agentId: "main" }],
      ["sessions.list", { agentId: "main", limit: 1 }],
      ["models.list", { agentId: "main" }],
    ];
    for (const [method, params] of calls) expect(strictCheck(METHODS[method].params, params).message, `${method} ${JSON.stringify(params)}`).toBe("");
  });
});
