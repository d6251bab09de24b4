// Which folders inbound attachment files may be read from. imsg names a file by its path on the Mac
// it runs on; the adapter reads only real paths (symlinks and `..` resolved) inside these roots.
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, normalize, sep } from "node:path";
import { InvalidOptionError } from "@openclaw/channel-kit";

/** Messages' own folder and imsg's cache of converted files (CAF → m4a, GIF → PNG), under a home. */
const UNDER_HOME = ["Library/Messages/Attachments", "Library/Caches/imsg/converted-attachments"];

/** `~` and `~/…` as the gateway user's home. */
export function expandHome(path: string, home = homedir()): string {
  return path === "~" ? home : path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

/**
 * The roots an account reads from: every user's Messages folders under `/Users` (a `*` is one path
 * segment), the gateway user's own, and `configured` (absolute or `~/…`).
 */
export function attachmentRoots(configured: readonly string[] = [], option = "channels.imessage.attachmentRoots"): string[] {
  const roots = UNDER_HOME.flatMap((folder) => [`/Users/*/${folder}`, join(homedir(), folder)]);
  for (const [index, root] of configured.entries()) {
    const expanded = expandHome(root);
    if (!isAbsolute(expanded)) throw new InvalidOptionError(`${option}.${index}`, "an absolute path or ~/…", root);
    roots.push(normalize(expanded));
  }
  return [...new Set(roots)];
}

const segments = (path: string) => path.split(sep).filter((segment) => segment !== "");

/** A root's fixed part resolved like the file is (`/var` → `/private/var` on macOS), its wildcards kept. */
function resolvedRoot(root: string): string[] {
  const parts = segments(root);
  const wildcard = parts.indexOf("*");
  const fixed = wildcard < 0 ? parts : parts.slice(0, wildcard);
  let real: string[];
  try {
    real = segments(realpathSync(`${sep}${fixed.join(sep)}`));
  } catch {
    real = fixed;
  }
  return wildcard < 0 ? real : [...real, ...parts.slice(wildcard)];
}

/** Whether `realPath` (already resolved) lies strictly inside one of `roots`. */
export function insideRoots(realPath: string, roots: readonly string[]): boolean {
  const file = segments(realPath);
  return roots.some((root) => {
    const pattern = resolvedRoot(root);
    return file.length > pattern.length && pattern.every((part, index) => part === "*" || part === file[index]);
  });
}
