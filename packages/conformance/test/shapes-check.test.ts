import { afterEach, describe, expect, it } from "vitest";
import { jsonReport, progressLine, resultsTable } from "../src/index.js";
import { contextFor, startBrokenGateway, startGateway } from "./helpers.js";
import { runOne, startTamperingProxy, type Tampering } from "./tamper-proxy.js";

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

async function behindProxy(tampering: Tampering): Promise<string> {
  const server = await startGateway();
  stops.push(() => server.stop());
  const proxy = await startTamperingProxy(server.url, tampering);
  stops.push(proxy.close);
  return proxy.url;
}

describe("shapes.results", () => {
  it("passes on our gateway, noting how many results it checked and which methods it could not call", async () => {
    const server = await startGateway();
    stops.push(() => server.stop());
    const result = await runOne("shapes.results", contextFor(server.url));
    expect(result).toMatchObject({ status: "pass", level: "MUST" });
    // health, status, system-presence, last-heartbeat, logs.tail and node.list are served and read-only.
    expect(result.notes).toEqual(["6 result(s) checked against our schemas", "not called: node.describe (needs nodeId, which the kit cannot pick safely)"]);
  });

  it("fails naming the method and the schema path of a result that does not fit", async () => {
    const url = await behindProxy({
      toClient: (frame, method) => (method === "logs.tail" && frame.ok ? { ...frame, payload: { ...frame.payload, cursor: "x" } } : frame),
    });
    const result = await runOne("shapes.results", contextFor(url));
    expect(result).toMatchObject({ status: "fail", detail: "logs.tail: /cursor: Expected integer" });
  });

  it("lists advertised methods our registry does not know without failing, in the JSON report, the progress line and the table", async () => {
    const url = await behindProxy({
      toClient: (frame, method) => {
        if (method === "connect" && frame.ok) frame.payload.features.methods.push("vendor.extra");
        return frame;
      },
    });
    const result = await runOne("shapes.results", contextFor(url));
    expect(result.status).toBe("pass");
    expect(result.notes).toContain("advertised but not in our registry (not checked): vendor.extra");
    expect(progressLine(result, 0, 1)).toContain("\n      note: advertised but not in our registry (not checked): vendor.extra");
    expect(JSON.parse(jsonReport([result])).results[0].notes).toContain("advertised but not in our registry (not checked): vendor.extra");
    expect(resultsTable([result])).toMatch(
      /\nNOTES\n( {2}shapes\.results: .*\n)* {2}shapes\.results: advertised but not in our registry \(not checked\): vendor\.extra\n/,
    );
  });

  it("notes a method that answers an error instead of a result, without checking it", async () => {
    const url = await behindProxy({
      toClient: (frame, method) => (method === "status" ? { type: "res", id: frame.id, ok: false, error: { code: "UNAVAILABLE", message: "busy" } } : frame),
    });
    const result = await runOne("shapes.results", contextFor(url));
    expect(result).toMatchObject({ status: "pass" });
    expect(result.notes).toContain('answered an error instead of a result (not checked): status ("UNAVAILABLE" "busy")');
  });

  it("fails when hello-ok advertises no method list", async () => {
    const broken = await startBrokenGateway({});
    stops.push(broken.close);
    const result = await runOne("shapes.results", contextFor(broken.url, 400));
    expect(result).toMatchObject({ status: "fail", detail: "hello-ok features.methods is undefined; expected an array of method names" });
  });
});
