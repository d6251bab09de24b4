import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { allChecks, runChecks, type CheckContext, type CheckOutcome } from "../src/index.js";
import { SCHEMA_CASES } from "../src/checks/dispatch-schema.js";
import { connectOperator } from "../src/session.js";
import { contextFor, startBrokenGateway, startGateway, type BrokenBehaviour } from "./helpers.js";

async function runOne(id: string, context: CheckContext): Promise<CheckOutcome> {
  const [result] = await runChecks(
    allChecks().filter((check) => check.id === id),
    context,
  );
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

describe("dispatch.schema-errors and dispatch.cancel-frame against our GatewayServer", () => {
  let server: GatewayServer;
  beforeAll(async () => {
    server = await startGateway();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("our gateway advertises every method the schema cases use, so none is left out", async () => {
    const { connection, hello } = await connectOperator(contextFor(server.url), ["operator.read"]);
    await connection.end();
    for (const testCase of SCHEMA_CASES) expect(hello.features.methods).toContain(testCase.method);
  });

  it("dispatch.schema-errors passes", async () => {
    expect(await runOne("dispatch.schema-errors", contextFor(server.url))).toMatchObject({ status: "pass" });
  });

  it("dispatch.cancel-frame passes", async () => {
    expect(await runOne("dispatch.cancel-frame", contextFor(server.url))).toMatchObject({ status: "pass" });
  });
});

describe("dispatch.schema-errors and dispatch.cancel-frame against broken gateways", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function against(behaviour: BrokenBehaviour, id: string): Promise<CheckOutcome> {
    const server = await startBrokenGateway(behaviour);
    stop = server.close;
    return runOne(id, contextFor(server.url, 400));
  }

  const advertised = { features: { methods: ["health", "logs.tail", "node.describe"], events: [] } };

  it("dispatch.schema-errors fails when the errors are worded otherwise, naming the case and both texts", async () => {
    const outcome = await against(
      { helloExtra: advertised, answer: (frame) => ({ ok: false, error: { code: "INVALID_REQUEST", message: `invalid ${frame.method} params` } }) },
      "dispatch.schema-errors",
    );
    expect(outcome).toMatchObject({
      status: "fail",
      detail: expect.stringContaining(
        `logs.tail {"foo":1} (a property a closed params object does not have): error.message: expected "invalid logs.tail params: at root: unexpected property 'foo'", got "invalid logs.tail params"`,
      ),
    });
  });

  it("dispatch.schema-errors fails when bad params are accepted", async () => {
    const outcome = await against({ helloExtra: advertised, answer: () => ({ ok: true, payload: {} }) }, "dispatch.schema-errors");
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("node.describe {} (a missing required property): expected ok:false") });
  });

  it("dispatch.schema-errors skips when none of its methods is advertised", async () => {
    const outcome = await against({ helloExtra: { features: { methods: ["health"], events: [] } } }, "dispatch.schema-errors");
    expect(outcome).toMatchObject({ status: "skip", reason: expect.stringContaining("advertises none of node.describe, logs.tail") });
  });

  it("dispatch.cancel-frame fails when a cancel frame closes the connection", async () => {
    const outcome = await against(
      {
        answer: () => ({ ok: true, payload: {} }),
        onFrame: (socket, frame) => {
          if (frame.type !== "cancel") return false;
          socket.close(1008, "invalid request frame");
          return true;
        },
      },
      "dispatch.cancel-frame",
    );
    expect(outcome).toMatchObject({
      status: "fail",
      detail: 'the connection closed after the cancel frames (closed 1008 "invalid request frame"); expected them ignored',
    });
  });
});
