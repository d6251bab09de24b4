import { spawn as spawnProcess, type ChildProcess, type SpawnOptions } from "node:child_process";

/** How to open a URL on this machine, or why not to try. */
export type BrowserLauncher =
  { readonly kind: "launch"; readonly command: string; readonly args: readonly string[] } | { readonly kind: "skip"; readonly reason: string };

/**
 * The system's "open this URL" command: `open` on macOS, `start` on Windows, `xdg-open`
 * elsewhere, but only with a graphical session (DISPLAY or WAYLAND_DISPLAY), since on a server or
 * over SSH there is no browser to show it.
 */
export function browserLauncher(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): BrowserLauncher {
  if (platform === "darwin") return { kind: "launch", command: "open", args: [url] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one (Node quotes it as "").
  if (platform === "win32") return { kind: "launch", command: "cmd", args: ["/c", "start", "", url] };
  if (!env["DISPLAY"] && !env["WAYLAND_DISPLAY"]) return { kind: "skip", reason: "no graphical session here (DISPLAY and WAYLAND_DISPLAY are unset)" };
  return { kind: "launch", command: "xdg-open", args: [url] };
}

export type SpawnFunction = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/**
 * Hand `url` to the system's opener and return without waiting for the browser. Never throws:
 * a missing opener is a reason, since the address is printed anyway.
 */
export function openBrowser(
  url: string,
  options: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; spawn?: SpawnFunction },
): Promise<{ readonly opened: true } | { readonly opened: false; readonly reason: string }> {
  const launcher = browserLauncher(url, options.platform, options.env);
  if (launcher.kind === "skip") return Promise.resolve({ opened: false, reason: launcher.reason });
  const spawn = options.spawn ?? spawnProcess;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(launcher.command, launcher.args, { stdio: "ignore", detached: true, windowsHide: true });
    } catch (error) {
      resolve({ opened: false, reason: `${launcher.command} could not be started (${(error as Error).message})` });
      return;
    }
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve({ opened: false, reason: error.code === "ENOENT" ? `${launcher.command} is not installed` : `${launcher.command} failed (${error.message})` }),
    );
    child.once("spawn", () => {
      // The opener may outlive this command; the CLI does not wait for it.
      child.unref();
      resolve({ opened: true });
    });
  });
}
