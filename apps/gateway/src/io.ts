/** Where a command writes and what it knows of its environment; the entry file supplies the real ones. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly homedir: string;
  readonly cwd: string;
  /** For questions on a terminal; without it, commands never ask. */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** For service units: how this CLI was started. @default process.platform / execPath / argv[1] */
  readonly platform?: NodeJS.Platform;
  readonly execPath?: string;
  readonly entryPath?: string;
  /** Where the open-file limit is read (`openclaw gateway` warns when it is low). @default "/proc/self/limits" */
  readonly limitsFile?: string;
  /** For the launchd domain `gui/<uid>`. @default process.getuid() */
  readonly uid?: number;
}
