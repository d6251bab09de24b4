// `pnpm check:packages`: packs every publishable package (no "private") the way `pnpm publish` would, then
// checks the tarball: the metadata every package must carry, publint (package.json against the packed files)
// and attw (types resolve for ESM consumers). Needs `pnpm build` first. Exits non-zero on any problem.
// Arguments narrow it to some package folders: `pnpm check:packages packages/protocol`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { publishableDirs } from "./publishable-packages.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPOSITORY = "https://github.com/openclaw/openclaw-gateway-ts";
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const rootPackage = readJson(join(ROOT, "package.json"));
const rootLicense = readFileSync(join(ROOT, "LICENSE"), "utf8");

function selectedDirs() {
  const only = process.argv.slice(2).map((dir) => dir.replace(/\/+$/, ""));
  return publishableDirs(ROOT).filter((dir) => only.length === 0 || only.includes(dir));
}

/** What a published package must say about itself, beyond what publint checks. */
function metadataProblems(dir, pkg) {
  const problems = [];
  const expect = (ok, text) => ok || problems.push(text);
  expect(pkg.license === "MIT", `license: expected "MIT", got ${JSON.stringify(pkg.license)}`);
  const license = join(ROOT, dir, "LICENSE");
  expect(existsSync(license) && readFileSync(license, "utf8") === rootLicense, "LICENSE: expected a copy of the root LICENSE");
  expect(pkg.files?.includes("LICENSE"), 'files: expected to list "LICENSE"');
  expect(
    pkg.engines?.node === rootPackage.engines.node,
    `engines.node: expected "${rootPackage.engines.node}" (the root's), got ${JSON.stringify(pkg.engines?.node)}`,
  );
  const repo = pkg.repository ?? {};
  expect(repo.type === "git" && repo.url === `git+${REPOSITORY}.git`, `repository: expected { type: "git", url: "git+${REPOSITORY}.git" }`);
  expect(repo.directory === dir, `repository.directory: expected "${dir}", got ${JSON.stringify(repo.directory)}`);
  expect(pkg.homepage === `${REPOSITORY}/tree/main/${dir}#readme`, `homepage: expected "${REPOSITORY}/tree/main/${dir}#readme"`);
  expect(pkg.bugs?.url === `${REPOSITORY}/issues`, `bugs.url: expected "${REPOSITORY}/issues"`);
  expect(existsSync(join(ROOT, dir, "README.md")), "README.md: expected one");
  return problems;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: join(ROOT, options.cwd ?? "."), encoding: "utf8", stdio: options.capture ? "pipe" : "inherit" });
  if (result.error) throw result.error;
  return result;
}

const packDir = mkdtempSync(join(tmpdir(), "openclaw-check-packages-"));
const dirs = selectedDirs();
const failed = [];
try {
  for (const dir of dirs) {
    const pkg = readJson(join(ROOT, dir, "package.json"));
    console.log(`\n== ${pkg.name} (${dir})`);
    const problems = metadataProblems(dir, pkg);
    for (const problem of problems) console.log(`metadata: ${problem}`);

    const before = new Set(readdirSync(packDir));
    const pack = run("pnpm", ["pack", "--pack-destination", packDir], { capture: true, cwd: dir });
    const tarball = readdirSync(packDir).find((name) => !before.has(name));
    if (pack.status !== 0 || !tarball) {
      console.log(`pnpm pack failed:\n${pack.stderr}${pack.stdout}`);
      failed.push(pkg.name);
      continue;
    }
    const publint = run(join(ROOT, "node_modules/.bin/publint"), ["run", join(packDir, tarball), "--strict"]);
    const attw = run(join(ROOT, "node_modules/.bin/attw"), [join(packDir, tarball), "--profile", "esm-only", "--no-emoji", "--no-color"]);
    if (problems.length > 0 || publint.status !== 0 || attw.status !== 0) failed.push(pkg.name);
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

console.log(`\n${dirs.length - failed.length} passed, ${failed.length} failed${failed.length > 0 ? `: ${failed.join(", ")}` : ""}`);
process.exit(failed.length > 0 ? 1 : 0);
