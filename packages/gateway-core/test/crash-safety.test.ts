import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/index.js";
import { prepared } from "../src/store/statements.js";
import { firstColumn, firstValue } from "./sql.js";

const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const DIST_INTERNAL = fileURLToPath(new URL("../dist/internal.js", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `body` in a child process that writes to the store at `path` in a loop, printing "go" once
 * it has started, and kills it with SIGKILL after `afterMs` more milliseconds of writing.
 */
async function killMidWrite(path: string, body: string, afterMs: number): Promise<string> {
  const script = `
    const core = { ...(await import(${JSON.stringify(DIST)})), ...(await import(${JSON.stringify(DIST_INTERNAL)})) };
    const store = core.openStore(${JSON.stringify(path)});
    let i = 0;
    process.stdout.write("go\\n");
    for (;;) { ${body}; i += 1; if (i % 50 === 0) await new Promise((r) => setImmediate(r)); }
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => output.includes("go") && resolve());
    child.on("exit", () => reject(new Error(`writer exited before it was killed:\n${output}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return output;
}

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-crash-"));
  dirs.push(dir);
  return join(dir, "state.db");
}

describe("kill -9 while writing (the store survives)", () => {
  it("a transcript write: the database passes integrity_check and every entry is whole", async () => {
    const path = tempDb();
    await killMidWrite(
      path,
      `const t = new core.SqliteTranscriptStore(store.db);
       t.ensureSession("agent:main:crash", "main", Date.now());
       t.append({ sessionKey: "agent:main:crash", runId: "r" + i, role: i % 2 ? "assistant" : "user", text: "entry " + i + " " + "x".repeat(2000), createdAtMs: Date.now() })`,
      300,
    );
    const store = openStore(path);
    try {
      expect(firstValue(store.db, "PRAGMA integrity_check")).toBe("ok");
      const rows = prepared(store.db, "SELECT run_id, text FROM transcript_entries ORDER BY id").all() as { run_id: string; text: string }[];
      expect(rows.length).toBeGreaterThan(0);
      rows.forEach((row, index) => {
        expect(row.run_id).toBe(`r${index}`);
        expect(row.text).toBe(`entry ${index} ${"x".repeat(2000)}`);
      });
    } finally {
      store.close();
    }
  });

  it("a channel pairing approval: each sender is either still pending or approved, never torn", async () => {
    const path = tempDb();
    await killMidWrite(
      path,
      `const pairing = new core.ChannelPairingStore(store.db);
       const outcome = pairing.request({ channel: "telegram", accountId: "a" + i, senderId: "s" + i, chatId: "c" + i });
       if (outcome.kind === "created" && i % 3 !== 0) pairing.approve(outcome.request)`,
      300,
    );
    const store = openStore(path);
    try {
      expect(firstValue(store.db, "PRAGMA integrity_check")).toBe("ok");
      const pending = new Set(firstColumn(store.db, "SELECT sender_id FROM channel_pairing_requests") as string[]);
      const approved = new Set(firstColumn(store.db, "SELECT sender_id FROM channel_allow_entries") as string[]);
      expect(pending.size + approved.size).toBeGreaterThan(0);
      for (const sender of approved) expect(pending.has(sender), `${sender} is both approved and pending`).toBe(false);
      // Senders whose index is a multiple of 3 are never approved; everyone else may be pending only if it was the last one written.
      const stillPending = [...pending].filter((sender) => Number(sender.slice(1)) % 3 !== 0);
      expect(stillPending.length).toBeLessThanOrEqual(1);
      for (const sender of approved) expect(Number(sender.slice(1)) % 3).not.toBe(0);
    } finally {
      store.close();
    }
  });
});
