import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const DIST_INTERNAL = fileURLToPath(new URL("../dist/internal.js", import.meta.url));

// On Node 24, V8 collecting a better-sqlite3 statement or database aborts the process (src/store/statements.ts).
// Nothing here can fail on Node 20 or 22; CI runs the suite on Node 24 too, where it did.
describe("the store's SQLite objects are never garbage", () => {
  it("a process that opens, uses, closes and drops hundreds of stores while it allocates exits cleanly", { timeout: 120_000 }, async () => {
    // A small young generation makes V8 collect often, as a busy gateway does over hours.
    const script = `
      const core = { ...(await import(${JSON.stringify(DIST)})), ...(await import(${JSON.stringify(DIST_INTERNAL)})) };
      let garbage = [];
      for (let i = 0; i < 400; i++) {
        const store = core.openMemoryStore();
        const transcripts = new core.SqliteTranscriptStore(store.db);
        transcripts.ensureSession("agent:main:s", "main", i);
        transcripts.append({ sessionKey: "agent:main:s", runId: "r" + i, role: "user", text: "x".repeat(200), createdAtMs: i });
        core.readSchemaVersion(store.db);
        store.close();
        garbage = Array.from({ length: 5000 }, (_, j) => ({ i, j, text: "y" + j }));
      }
      process.stdout.write("done " + garbage.length + "\\n");
    `;
    const child = spawn(process.execPath, ["--max-semi-space-size=1", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (...exit) => resolve(exit)));
    expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: "done 5000\n" });
  });
});
