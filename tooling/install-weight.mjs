// Weighs an installed @openclaw/gateway: `node tooling/install-weight.mjs <node_modules>` prints the disk use
// (du's MiB) of the whole tree, of the gateway without its channel adapters, and of what each adapter adds,
// following dependencies the way Node resolves them. docs/PACKAGING.md says how to produce the tree.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "");
if (!process.argv[2] || !existsSync(join(root, "@openclaw", "gateway"))) {
  console.error("usage: node tooling/install-weight.mjs <node_modules that holds @openclaw/gateway>");
  process.exit(2);
}
const ADAPTER = /^@openclaw\/channel-(?!kit$)/;

/** Every package folder under root: its name, dependencies of every kind, and its own disk use (nested node_modules excluded). */
const packages = new Map();
function diskUse(path) {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  let total = stat.blocks * 512;
  for (const entry of readdirSync(path)) if (entry !== "node_modules") total += diskUse(join(path, entry));
  return total;
}
function scan(nodeModules) {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith(".")) continue;
    const names = entry.startsWith("@") ? readdirSync(join(nodeModules, entry)).map((scoped) => join(entry, scoped)) : [entry];
    for (const name of names) {
      const dir = join(nodeModules, name);
      if (!existsSync(join(dir, "package.json"))) continue;
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
      packages.set(dir, { name: pkg.name, deps, size: diskUse(dir) });
      scan(join(dir, "node_modules"));
    }
  }
}
scan(root);

/** Node's lookup: the nearest node_modules/<name> walking up from the package's folder. */
function resolveFrom(dir, name) {
  for (let at = dir; at.length >= root.length; at = dirname(at)) {
    const candidate = at === root ? join(root, name) : join(at, "node_modules", name);
    if (packages.has(candidate)) return candidate;
    if (at === root) break;
  }
  return undefined;
}
function closure(starts, follow = () => true) {
  const seen = new Set();
  const stack = [...starts];
  while (stack.length > 0) {
    const dir = stack.pop();
    if (seen.has(dir)) continue;
    seen.add(dir);
    for (const name of packages.get(dir).deps) {
      const found = follow(name) ? resolveFrom(dir, name) : undefined;
      if (found) stack.push(found);
    }
  }
  return seen;
}
const sum = (dirs) => [...dirs].reduce((total, dir) => total + packages.get(dir).size, 0);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const biggest = (dirs, count) =>
  [...dirs]
    .map((dir) => packages.get(dir))
    .sort((a, b) => b.size - a.size)
    .slice(0, count)
    .map((pkg) => `${pkg.name} ${mib(pkg.size)}`)
    .join(", ");

const gateway = join(root, "@openclaw", "gateway");
const core = closure([gateway], (name) => !ADAPTER.test(name));
console.log(`whole tree: ${mib(sum(packages.keys()))} in ${packages.size} packages`);
console.log(`gateway without adapters: ${mib(sum(core))} in ${core.size} packages; biggest: ${biggest(core, 6)}`);
for (const name of packages.get(gateway).deps.filter((dep) => ADAPTER.test(dep))) {
  const adds = [...closure([resolveFrom(gateway, name)])].filter((dir) => !core.has(dir));
  console.log(`${name} adds ${mib(sum(adds))} in ${adds.length} packages; biggest: ${biggest(adds, 5)}`);
}
