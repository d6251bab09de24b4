import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "webchat", include: ["test/**/*.test.ts"], environment: "node", testTimeout: 60000 },
});
