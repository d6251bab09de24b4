// The workspace folders whose package is published (no "private": true), as `pnpm publish -r` sees them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Folders under packages/ and apps/ holding a publishable package.json, relative to `root`, sorted. */
export function publishableDirs(root) {
  return ["packages", "apps"]
    .flatMap((parent) => readdirSync(join(root, parent)).map((name) => `${parent}/${name}`))
    .filter((dir) => existsSync(join(root, dir, "package.json")) && JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")).private !== true)
    .sort();
}
