import { describe, expect, it } from "vitest";
import { commandAliases, completeCommand, helpText, parseInput } from "./slash.js";

const GATEWAY = [
  { name: "model", description: "Show or set the model.", textAliases: ["/model"] },
  { name: "models", description: "List models.", textAliases: ["/models"] },
  { name: "think", description: "Set thinking level.", textAliases: ["/think", "/thinking"] },
];

describe("parseInput", () => {
  it("keeps the TUI's own commands and sends everything else, gateway commands included", () => {
    expect(parseInput("  ")).toEqual({ kind: "empty" });
    expect(parseInput("/quit")).toEqual({ kind: "quit" });
    expect(parseInput("/EXIT")).toEqual({ kind: "quit" });
    expect(parseInput("/help")).toEqual({ kind: "help" });
    expect(parseInput("/abort")).toEqual({ kind: "abort" });
    expect(parseInput("/sessions")).toEqual({ kind: "sessions" });
    expect(parseInput("/sessions 2")).toEqual({ kind: "sessions", target: "2" });
    expect(parseInput("/think high")).toEqual({ kind: "send", text: "/think high" });
    expect(parseInput(" hello ")).toEqual({ kind: "send", text: "hello" });
  });
});

describe("completeCommand", () => {
  const aliases = commandAliases(GATEWAY);

  it("completes a single match with a space, and a shared prefix with the candidates", () => {
    expect(completeCommand("/th", aliases)).toEqual({ line: "/think", candidates: ["/think", "/thinking"] });
    expect(completeCommand("/mo", aliases)).toEqual({ line: "/model", candidates: ["/model", "/models"] });
    expect(completeCommand("/he", aliases)).toEqual({ line: "/help ", candidates: [] });
  });

  it("leaves messages, arguments and unknown commands alone", () => {
    expect(completeCommand("hello", aliases)).toEqual({ line: "hello", candidates: [] });
    expect(completeCommand("/think hi", aliases)).toEqual({ line: "/think hi", candidates: [] });
    expect(completeCommand("/zzz", aliases)).toEqual({ line: "/zzz", candidates: [] });
  });
});

describe("helpText", () => {
  it("lists the gateway's commands, then the TUI's", () => {
    const text = helpText(GATEWAY);
    expect(text.indexOf("/think")).toBeLessThan(text.indexOf("/sessions"));
    expect(text).toContain("Set thinking level.");
    expect(helpText([])).toContain("(the gateway lists none)");
  });
});
