import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Writes a fake `signal-cli` executable: run as `<script> -a <account> daemon --http 127.0.0.1:<port>`
 * it serves this fake on that port until killed. With `neverHealthy` it never listens. With
 * `unregistered` it does what signal-cli does for an account that is not registered (or whose
 * linked device was removed): prints "User <account> is not registered." and exits 1. The script
 * lives in its own temp dir; remove `dirname(path)` when done.
 */
export function writeSignalCliScript(options: { neverHealthy?: boolean; unregistered?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-signal-cli-"));
  const path = join(dir, "signal-cli");
  const module = fileURLToPath(import.meta.url.replace(/signal-cli-script\.(ts|js)$/, "index.js"));
  writeFileSync(
    path,
    `#!/usr/bin/env node
const args = process.argv.slice(2);
const account = args[args.indexOf("-a") + 1];
const http = args[args.indexOf("--http") + 1] ?? "";
const port = Number(http.split(":").pop());
if (args.indexOf("daemon") < 0 || !account || !port) { console.error("usage: signal-cli -a ACCOUNT daemon --http HOST:PORT"); process.exit(2); }
${options.unregistered ? 'console.error("User " + account + " is not registered."); process.exit(1);' : ""}
${options.neverHealthy ? "setInterval(() => {}, 1000);" : `import(${JSON.stringify(module)}).then(({ startSignalFake }) => startSignalFake({ account, port }));`}
process.on("SIGTERM", () => process.exit(0));
`,
  );
  chmodSync(path, 0o755);
  return path;
}
