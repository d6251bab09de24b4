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

/** The net growth per connection, and the groups that grew most, biggest self size first. */
export function perConnectionGrowth(before, after, conns, top = 20) {
  const rows = [];
  let total = 0;
  for (const [key, was] of before) if (!after.has(key)) total -= was.selfSize / conns;
  for (const [key, grown] of after) {
    const was = before.get(key) ?? { count: 0, selfSize: 0 };
    const bytes = (grown.selfSize - was.selfSize) / conns;
    const count = (grown.count - was.count) / conns;
    total += bytes;
    if (bytes > 0) rows.push({ group: key, countPerConn: count, bytesPerConn: bytes });
  }
  rows.sort((a, b) => b.bytesPerConn - a.bytesPerConn);
  return { total, rows: rows.slice(0, top) };
}
