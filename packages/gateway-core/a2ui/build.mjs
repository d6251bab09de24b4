// Bundles the A2UI renderer (@a2ui/lit) into dist-a2ui/ for the canvas host's /__openclaw__/a2ui/ route.
// Usage: node a2ui/build.mjs [outDir]   (outDir defaults to <package>/dist-a2ui)
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, "..", "dist-a2ui"));

// esbuild arrives with tsup (a root devDependency); borrow it rather than pin a second copy.
function loadEsbuild() {
  const require = createRequire(import.meta.url);
  try {
    return require("esbuild");
  } catch {
    return createRequire(require.resolve("tsup"))("esbuild");
  }
}

const esbuild = loadEsbuild();
const started = Date.now();
await mkdir(outDir, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, "entry.js")],
  outfile: join(outDir, "a2ui.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
await copyFile(join(here, "index.html"), join(outDir, "index.html"));
console.log(`a2ui bundle written to ${outDir} in ${Date.now() - started} ms`);
