#!/usr/bin/env node
// The bin. It stays tiny so that Node's compile cache is on before the CLI's modules load; the
// program itself is main.ts.
import module from "node:module";

// Node 22.1+ keeps V8's compiled code for each module on disk and reuses it while the file is
// unchanged; Node 20 has no such cache, so this is feature-detected. With no argument Node picks the
// directory: NODE_COMPILE_CACHE if set (the way to move it, on a shared multi-user host say), else
// <os tmpdir>/node-compile-cache, in a subdirectory per Node version and user id. Entries are checked
// against the module's source before use, so a stale one is just recompiled. Not the state dir: the
// cache would end up in `openclaw backup` archives and in every throwaway state dir. The cache is an
// optimization only: Node reports a failure instead of throwing, and a throw is ignored as well.
const { enableCompileCache } = module as { enableCompileCache?: () => unknown };
try {
  enableCompileCache?.();
} catch {
  // Run without the cache.
}

await import("./main.js");
