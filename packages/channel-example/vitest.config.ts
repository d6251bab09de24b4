import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "channel-example", include: ["src/**/*.test.ts", "test/**/*.test.ts"], environment: "node", testTimeout: 30000 },
});
