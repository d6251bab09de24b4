import { describe, expect, it } from "vitest";
import { PresenceTable } from "./presence.js";

const self = { host: "gateway-host", mode: "gateway", ts: 1 };

describe("PresenceTable", () => {
  it("keeps at most the configured number of reported entries, dropping the stalest, never a connection's or its own", () => {
    const table = new PresenceTable(self, 3);
    table.upsert("device-a", { host: "laptop", ts: 1 }, "conn-1");
    for (let i = 1; i <= 5; i++) table.merge(`report-${i}`, { text: `report ${i}` }, i);
    expect(table.list().map((entry) => entry.host ?? entry.text)).toEqual(["gateway-host", "laptop", "report 3", "report 4", "report 5"]);

    // Touching a report makes it fresh again: the next eviction takes another one.
    table.merge("report-3", { text: "report 3 again" }, 6);
    table.merge("report-6", { text: "report 6" }, 7);
    expect(table.list().map((entry) => entry.host ?? entry.text)).toEqual(["gateway-host", "laptop", "report 5", "report 3 again", "report 6"]);
    expect(table.size).toBe(5);
  });

  it("releases an entry only for the connection that owns it", () => {
    const table = new PresenceTable(self);
    table.upsert("device-a", { host: "laptop", ts: 1 }, "conn-1");
    const version = table.version;
    expect(table.release("device-a", "conn-2")).toBe(false);
    expect(table.version).toBe(version);
    expect(table.release("device-a", "conn-1")).toBe(true);
    expect(table.version).toBe(version + 1);
    expect(table.list()).toEqual([self]);
  });
});
