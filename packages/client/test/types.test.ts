import { describe, expectTypeOf, it } from "vitest";
import type { AgentEvent, AgentResult, ChatEvent, HealthSnapshot, HelloOk, MethodResult, PresenceEntry, StateVersion } from "@openclaw/protocol";
import { WebSocket } from "ws";
import { connect, type ClientStatus, type ConnectOptions, type EventMessage, type GatewayClient, type SeqGap } from "../src/index.js";

/*
 * `tsc` checks these assertions (the package typecheck covers test/). The bodies never run,
 * since they would need a live gateway; each `it` only proves that its checks compiled.
 */
describe("typed from the protocol registry", () => {
  it("checks params and results of call() at compile time", () => {
    const checks = (client: GatewayClient) => {
      expectTypeOf(client.call("health")).resolves.toEqualTypeOf<HealthSnapshot>();
      expectTypeOf(client.call("models.list", {})).resolves.toEqualTypeOf<MethodResult<"models.list">>();
      expectTypeOf(client.call("agent", { message: "hi" }, { expectFinal: true })).resolves.toEqualTypeOf<AgentResult>();
      expectTypeOf(client.call<"chat.send">)
        .parameter(1)
        .toExtend<{ sessionKey: string; message: string; idempotencyKey?: string } | undefined>();

      // @ts-expect-error unknown methods do not compile
      void client.call("no.such.method");
      // @ts-expect-error required params cannot be left out
      void client.call("agent");
      // @ts-expect-error a param of the wrong type
      void client.call("health", { probe: "yes" });
      // @ts-expect-error closed params reject unknown keys
      void client.call("health", { probe: true, extra: 1 });
      // @ts-expect-error onAccepted sees the method's result type
      void client.call("agent", { message: "hi" }, { onAccepted: (ack: { nope: number }) => ack });
    };
    expectTypeOf(checks).toBeFunction();
  });

  it("types events, pseudo-events and runs", () => {
    const checks = (client: GatewayClient) => {
      client.on("tick", (payload, message) => {
        expectTypeOf(payload.ts).toEqualTypeOf<number>();
        expectTypeOf(message.seq).toEqualTypeOf<number | undefined>();
      });
      client.on("presence", (payload, message) => {
        expectTypeOf(payload.presence).toEqualTypeOf<PresenceEntry[]>();
        expectTypeOf(message.stateVersion).toEqualTypeOf<StateVersion | undefined>();
      });
      client.on("gap", (gap) => expectTypeOf(gap).toEqualTypeOf<SeqGap>());
      expectTypeOf(client.events("agent")).toEqualTypeOf<AsyncIterableIterator<EventMessage<"agent">>>();
      // @ts-expect-error unknown events do not compile
      client.on("no.such.event", () => {});

      const run = client.agent({ message: "hi" });
      expectTypeOf(run.result).resolves.toEqualTypeOf<AgentResult>();
      expectTypeOf(run).toExtend<AsyncIterable<AgentEvent>>();
      const chat = client.chatSend({ sessionKey: "s", message: "hi" });
      expectTypeOf(chat.result).resolves.toEqualTypeOf<ChatEvent>();
    };
    expectTypeOf(checks).toBeFunction();
  });

  it("narrows status by state and accepts ws's WebSocket", () => {
    const narrow = (status: ClientStatus) => {
      if (status.state === "open") expectTypeOf(status.hello).toEqualTypeOf<HelloOk>();
      if (status.state === "reconnecting") expectTypeOf(status.lastError).toEqualTypeOf<Error>();
    };
    expectTypeOf(narrow).toBeFunction();
    expectTypeOf({ url: "ws://x", WebSocket }).toExtend<ConnectOptions>();
    expectTypeOf(connect).returns.resolves.toEqualTypeOf<GatewayClient>();
  });
});
