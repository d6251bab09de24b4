import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// A generated gateway token is printed once, when the gateway that generated it is listening.
// A start that fails after generating it (a port in use, say) must not lose that one showing,
// so the state dir remembers that the token is still unshown until a start succeeds. The marker
// holds a hash, never the token: the config file stays the only copy of the secret.

const MARKER_FILE = "gateway-token.unshown";

function hashOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Where the marker lives. */
export function unshownTokenMarker(stateDir: string): string {
  return join(stateDir, MARKER_FILE);
}

/** Note that `token` was generated and has not been shown yet. */
export function rememberUnshownToken(stateDir: string, token: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(unshownTokenMarker(stateDir), `${JSON.stringify({ sha256: hashOf(token), generatedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
}

/**
 * Whether the gateway that just started should show its token because it was generated earlier
 * and never shown. `configToken` is the token in the config file, `servingToken` the one the
 * gateway uses (a flag or env token may override the file's). The marker is dropped once the
 * token is shown, or once the config holds another token (nothing left to show).
 */
export function takeUnshownToken(stateDir: string, configToken: string | undefined, servingToken: string | undefined): boolean {
  const path = unshownTokenMarker(stateDir);
  let recorded: string | undefined;
  try {
    recorded = (JSON.parse(readFileSync(path, "utf8")) as { sha256?: unknown }).sha256 as string | undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    recorded = undefined; // unreadable: drop it below
  }
  if (configToken === undefined || recorded !== hashOf(configToken)) {
    rmSync(path, { force: true });
    return false;
  }
  // Serving with another token (a flag, the environment): keep it for a start that uses the file's.
  if (servingToken !== configToken) return false;
  rmSync(path, { force: true });
  return true;
}
