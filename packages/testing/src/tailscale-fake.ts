/**
 * A fake `tailscale` CLI for tests: a small Node script written into a temp dir. Put `dir` first
 * on PATH (or pass `binary`) and the gateway runs it as it would the real one. It answers
 * `whois --json <addr>` from a JSON map and records every invocation (argv and pid) to a file.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** One tailnet address's owner: a login, or a tagged node (no user). */
export type FakeTailnetPeer = string | { readonly login?: string; readonly name?: string; readonly tags?: readonly string[] };

/** How the fake answers: `whois` "answer"s from the map, "fail"s (exit 1) or "hang"s until killed; `serve`/`funnel` "ok" or "fail". */
export interface FakeTailscaleBehaviour {
  readonly whois?: "answer" | "fail" | "hang";
  readonly expose?: "ok" | "fail";
}

export interface FakeTailscaleCall {
  readonly args: string[];
  readonly pid: number;
}

export interface FakeTailscale {
  /** The directory holding the `tailscale` executable. */
  readonly dir: string;
  /** The executable's path. */
  readonly binary: string;
  /** A PATH value with `dir` first, then `base`. */
  path(base?: string): string;
  /** Every invocation so far, in order. */
  calls(): FakeTailscaleCall[];
  /** Replace the address → user map `whois` answers from. */
  setPeers(peers: Record<string, FakeTailnetPeer>): void;
  setBehaviour(behaviour: FakeTailscaleBehaviour): void;
  /** Remove the temp dir. */
  close(): void;
}

const SCRIPT = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const dir = path.dirname(process.argv[1]);
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({ args, pid: process.pid }) + "\n");
const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8"));
const command = args[0];
if (command === "whois" && state.behaviour.whois === "hang") {
  setInterval(() => {}, 60000);
} else if (command === "whois" && state.behaviour.whois === "fail") {
  process.stderr.write("failed to connect to local tailscaled; it doesn't appear to be running\n");
  process.exit(1);
} else if (command === "whois") {
  let address = args[args.length - 1];
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address) || /^\[(.*)\]:\d+$/.exec(address);
  if (withPort) address = withPort[1];
  const peer = state.peers[address];
  if (peer === undefined) { process.stderr.write("no match for IP:port " + address + "\n"); process.exit(1); }
  const owner = typeof peer === "string" ? { login: peer } : peer;
  const tagged = Array.isArray(owner.tags) && owner.tags.length > 0;
  process.stdout.write(JSON.stringify({
    Node: { ID: 1, Name: "peer.example-tailnet.ts.net.", Addresses: [address + "/32"], Tags: tagged ? owner.tags : null },
    UserProfile: tagged
      ? { ID: 2, LoginName: "tagged-devices", DisplayName: "tagged-devices" }
      : { ID: 3, LoginName: owner.login, DisplayName: owner.name || owner.login, ProfilePicURL: "" },
    CapMap: null,
  }, null, 2) + "\n");
} else if (command === "serve" || command === "funnel") {
  if (state.behaviour.expose === "fail") { process.stderr.write("error: serve config denied\n"); process.exit(1); }
  if (args.includes("off")) process.stdout.write("Removed.\n");
  else process.stdout.write("Available within your tailnet:\n\nhttps://gateway.example-tailnet.ts.net/\n|-- proxy " + args[args.length - 1] + "\n\nServe started and running in the background.\n");
} else if (command === "version") {
  process.stdout.write("1.98.0-fake\n");
} else {
  process.stderr.write("fake tailscale: unknown command " + command + "\n");
  process.exit(2);
}
`;

/** Write a fake `tailscale` executable answering whois from `peers` (tailnet address → login or profile). */
export function createFakeTailscale(peers: Record<string, FakeTailnetPeer> = {}, behaviour: FakeTailscaleBehaviour = {}): FakeTailscale {
  const dir = mkdtempSync(join(tmpdir(), "fake-tailscale-"));
  const binary = join(dir, "tailscale");
  const statePath = join(dir, "state.json");
  const callsPath = join(dir, "calls.jsonl");
  let state = { peers: { ...peers }, behaviour: { whois: "answer", expose: "ok", ...behaviour } };
  const save = () => writeFileSync(statePath, JSON.stringify(state));
  save();
  writeFileSync(callsPath, "");
  // CommonJS body: the temp dir has no package.json, so Node reads the script as CommonJS.
  writeFileSync(binary, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(binary, 0o755);
  return {
    dir,
    binary,
    path: (base = process.env["PATH"] ?? "") => (base ? `${dir}${delimiter}${base}` : dir),
    calls: () =>
      readFileSync(callsPath, "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as FakeTailscaleCall),
    setPeers(next) {
      state = { ...state, peers: { ...next } };
      save();
    },
    setBehaviour(next) {
      state = { ...state, behaviour: { ...state.behaviour, ...next } };
      save();
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
