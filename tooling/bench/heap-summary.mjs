// What a heap snapshot holds, grouped as the DevTools summary groups it (by constructor name for
// objects, by function name for closures, by kind for V8's internal objects), and the difference
// between two snapshots: what N more connections added, per connection.
import { readFileSync } from "node:fs";

/** The group of one node: a constructor, a closure by its function name, or a V8-internal kind. */
function groupOf(type, name) {
  switch (type) {
    case "object":
    case "native":
      return name;
    case "closure":
      return `(closure) ${name || "anonymous"}`;
    case "string":
    case "concatenated string":
    case "sliced string":
      return "(string)";
    case "array":
      return `(array) ${name}`;
    case "code":
      return "(compiled code)";
    case "hidden":
    case "object shape":
      return "(system)";
    default:
      return `(${type})`;
  }
}

/** Map of group → { count, selfSize } over every node of a .heapsnapshot file. */
export function summariseSnapshot(file) {
  const snapshot = JSON.parse(readFileSync(file, "utf8"));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const { nodes, strings } = snapshot;
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    if (type === "synthetic") continue;
    const key = groupOf(type, strings[nodes[i + nameAt]]);
    const group = groups.get(key) ?? { count: 0, selfSize: 0 };
    group.count++;
    group.selfSize += nodes[i + sizeAt];
    groups.set(key, group);
  }
  return groups;
}

/** Per group, the change in count and self size from `before` to `after`, per connection. */
function growthPerConnection({ before, after, conns }) {
  const none = { count: 0, selfSize: 0 };
  const byGroup = new Map();
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key) ?? none;
    const is = after.get(key) ?? none;
    byGroup.set(key, { countPerConn: (is.count - was.count) / conns, bytesPerConn: (is.selfSize - was.selfSize) / conns });
  }
  return byGroup;
}

/** Net growth and the `top` groups that grew most (by half a byte or more), biggest first. */
function ranked(byGroup, top) {
  const rows = [...byGroup].map(([group, row]) => ({ group, ...row }));
  const total = rows.reduce((sum, row) => sum + row.bytesPerConn, 0);
  rows.sort((a, b) => b.bytesPerConn - a.bytesPerConn);
  return { total, rows: rows.filter((row) => row.bytesPerConn >= 0.5).slice(0, top) };
}

/** What one connection adds to a heap (`{ before, after, conns }`, summaries of two snapshots), by group. */
export function perConnectionGrowth(snapshots, top = 20) {
  return ranked(growthPerConnection(snapshots), top);
}

/** What one connection adds on `ours` beyond what it adds on `raw`, by group. */
export function perConnectionExcess(ours, raw, top = 20) {
  const oursGrowth = growthPerConnection(ours);
  const rawGrowth = growthPerConnection(raw);
  const none = { countPerConn: 0, bytesPerConn: 0 };
  const excess = new Map();
  for (const key of new Set([...oursGrowth.keys(), ...rawGrowth.keys()])) {
    const a = oursGrowth.get(key) ?? none;
    const b = rawGrowth.get(key) ?? none;
    excess.set(key, { countPerConn: a.countPerConn - b.countPerConn, bytesPerConn: a.bytesPerConn - b.bytesPerConn });
  }
  return ranked(excess, top);
}
