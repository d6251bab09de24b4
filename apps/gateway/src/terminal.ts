// Colors, tables and a spinner: only the commands that print for a person load these libraries
// (the gateway's start does not).
import Table from "cli-table3";
import pc from "picocolors";
import yoctoSpinner from "yocto-spinner";
import type { CommandIo } from "./io.js";

/** Colors only on a terminal. */
export function colors(io: CommandIo) {
  return pc.createColors(io.stdout.isTTY === true && !io.env["NO_COLOR"]);
}

/** A plain table; borders are drawn only on a terminal so output stays greppable. */
export function printTable(io: CommandIo, head: string[], rows: (string | number | boolean | undefined)[][]): void {
  if (rows.length === 0) {
    io.stdout.write("(none)\n");
    return;
  }
  const tty = io.stdout.isTTY === true;
  const table = new Table({
    head: tty ? head.map((cell) => pc.bold(cell)) : head,
    style: { head: [], border: [] },
    ...(tty
      ? {}
      : {
          chars: {
            top: "",
            "top-mid": "",
            "top-left": "",
            "top-right": "",
            bottom: "",
            "bottom-mid": "",
            "bottom-left": "",
            "bottom-right": "",
            left: "",
            "left-mid": "",
            mid: "",
            "mid-mid": "",
            right: "",
            "right-mid": "",
            middle: "  ",
          },
        }),
  });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? "" : String(cell))));
  io.stdout.write(`${table.toString()}\n`);
}

/** A spinner on stderr while waiting on a long call; nothing when stderr is not a terminal. */
export async function withSpinner<T>(io: CommandIo, text: string, work: () => Promise<T>): Promise<T> {
  const stream = io.stderr as NodeJS.WriteStream;
  if (stream.isTTY !== true) return work();
  const spinner = yoctoSpinner({ text, stream }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}
