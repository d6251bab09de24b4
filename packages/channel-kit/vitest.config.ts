import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "channel-kit", include: ["src/**/*.test.ts", "test/**/*.test.ts"], environment: "node" },
});
