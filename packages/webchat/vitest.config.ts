import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "webchat",
    // Unit tests sit beside the UI code; HTTP and browser tests live in test/.
    include: ["test/**/*.test.ts", "ui/src/**/*.test.ts"],
    environment: "node",
    testTimeout: 60000,
    hookTimeout: 30000,
  },
});
