import { defineConfig } from "vitest/config";

// In CI a JSON report lets .ci/run print a plain "N passed, N failed" line.
const ciReporters = process.env["CI"] ? ["default", ["json", { outputFile: ".ci-results/vitest.json" }] as const] : ["default"];

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling"],
    reporters: ciReporters as never,
  },
});
