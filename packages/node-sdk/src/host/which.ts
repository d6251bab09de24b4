import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** A bare program name: no path separators, nothing that walks directories. */
function isBareName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !/[/\\\0]/.test(name);
}

/**
 * The first executable file called `name` on `pathEnv`, like `which`, without a shell.
 * Relative PATH entries are skipped: they would depend on the host's working directory.
 */
export async function findExecutable(name: string, pathEnv: string | undefined): Promise<string | undefined> {
  if (!isBareName(name)) return undefined;
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (!(await stat(candidate)).isFile()) continue;
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here (or not executable): keep looking.
    }
  }
  return undefined;
}

/** `system.which`: the names that were found, mapped to their paths. */
export async function whichBins(bins: readonly string[], pathEnv: string | undefined): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const name of new Set(bins)) {
    const path = await findExecutable(name, pathEnv);
    if (path !== undefined) found[name] = path;
  }
  return found;
}
