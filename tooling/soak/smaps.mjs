// The gateway's resident memory by kind of mapping, from /proc/<pid>/smaps (Linux): which part of
// RSS grows when the soak's RSS slope is not flat. Pure parsing here; reading the file is in
// gateway.mjs.

// The kinds, in print order:
// - mallocMain: glibc's main malloc arena ([heap]): SQLite, the addons' and Node's own allocations
// - v8Pages: anonymous mappings under 1 MiB: V8's heap pages
// - largerAnonymous: anonymous mappings of 1 MiB or more: other malloc arenas, V8's large objects and code
// - files: mapped files: node, shared libraries, the addons, SQLite's -shm
// - other: stacks, vdso, named anonymous mappings
const KINDS = ["mallocMain", "v8Pages", "largerAnonymous", "files", "other"];

const HEADER = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\S+\s*(.*)$/;

/** Sums the Rss of every mapping in the text of a smaps file by kind, in bytes. */
export function summarizeSmaps(text) {
  const totals = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
  let name = null;
  let sizeKiB = 0;
  for (const line of text.split("\n")) {
    const header = HEADER.exec(line);
    if (header) {
      name = header[1].trim();
      sizeKiB = 0;
      continue;
    }
    if (name === null) continue;
    if (line.startsWith("Size:")) sizeKiB = Number.parseInt(line.slice(5), 10);
    else if (line.startsWith("Rss:")) totals[kindOf(name, sizeKiB)] += Number.parseInt(line.slice(4), 10) * 1024;
  }
  return totals;
}

function kindOf(name, sizeKiB) {
  if (name === "[heap]") return "mallocMain";
  if (name === "") return sizeKiB < 1024 ? "v8Pages" : "largerAnonymous";
  if (name.startsWith("/")) return "files";
  return "other";
}
