import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

export interface ConfigWatcherOptions {
  /** The config file; its folder is watched, since an atomic write replaces the file. */
  readonly path: string;
  /** Quiet time after the last event before `onChange`, so an editor's burst of writes is read once. */
  readonly debounceMs: number;
  readonly onChange: () => void;
  /** The folder cannot be watched (gone, or no watcher on this file system). */
  readonly onError: (error: Error) => void;
}

export interface ConfigWatcher {
  close(): void;
}

/**
 * Watches the config file for edits. Events for other files in its folder (the temp file of an
 * atomic write, the state database) are ignored; an event without a name counts, since some file
 * systems leave it out. The timer and the watcher are cleared by `close`.
 */
export function watchConfigFile(options: ConfigWatcherOptions): ConfigWatcher {
  const name = basename(options.path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    timer = undefined;
    options.onChange();
  };
  try {
    watcher = watch(dirname(options.path), { persistent: false }, (_event, filename) => {
      if (filename !== null && filename.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(fire, options.debounceMs);
    });
    watcher.on("error", (error) => options.onError(error));
  } catch (error) {
    options.onError(error as Error);
  }
  return {
    close() {
      clearTimeout(timer);
      timer = undefined;
      watcher?.close();
      watcher = undefined;
    },
  };
}
