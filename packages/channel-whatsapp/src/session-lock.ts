import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

/** Auth dirs held by this process (a second account pointing at the same dir is refused too). */
const heldHere = new Map<string, string>();

export class SessionLockedError extends Error {
  readonly code = "WHATSAPP_SESSION_LOCKED";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One WhatsApp session per auth dir per host: a lock file holding the owner's pid. A lock left by
 * a process that is gone is taken over; a live owner makes this throw, naming the owner.
 */
export function acquireSessionLock(authDir: string, owner: string): () => void {
  const dir = resolve(authDir);
  const holder = heldHere.get(dir);
  if (holder !== undefined) throw new SessionLockedError(`the WhatsApp auth dir ${dir} is already used by ${holder} in this gateway; give each account its own authDir`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "session.lock");
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.set(dir, owner);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(dir);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new SessionLockedError(`WhatsApp session ${dir} is already open in process ${pid} (another gateway on this host); stop it first — only one process may hold a WhatsApp session`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new SessionLockedError(`could not take the WhatsApp session lock ${path}`);
}
