import { existsSync, readFileSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "@openclaw/gateway-core";
/** Where `node a2ui/build.mjs` writes the renderer bundle, relative to the package root. */
export const A2UI_BUNDLE_DIR = "dist-a2ui";

/**
 * The bundle directory of this package, found by walking up to its package.json: this file
 * runs from `src/canvas/` in tests and from `dist/` once built, at different depths.
 * Undefined when the code was re-bundled into another package; pass `a2uiRoot` then.
 */
export function defaultA2uiRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let directory = dirname(from);
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return join(directory, A2UI_BUNDLE_DIR);
      } catch {
        // An unreadable manifest is not ours; keep walking.
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** Whether the bundle is there to serve; checked per request so a later build is picked up. */
export async function a2uiBundlePresent(root: string | undefined): Promise<boolean> {
  if (root === undefined) return false;
  try {
    await access(join(root, "index.html"));
    return true;
  } catch {
    return false;
  }
}
