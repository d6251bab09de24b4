import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import type { TSchema } from "@sinclair/typebox";
import { formatValidationErrors } from "../src/index.js";

/** The real OpenClaw 2026.9.6 captures, beside the repository. */
export const FIXTURES = fileURLToPath(new URL("../../../fixtures/openclaw-2026.9.6/", import.meta.url));

export function readFixture(name: string): string {
  return readFileSync(FIXTURES + name, "utf8");
}

export interface CapturedLine {
  c: number;
  dir: "open" | "s2c" | "c2s" | "close-client" | "close-server";
  frame?: Record<string, unknown>;
}

export function readFrames(name: string): CapturedLine[] {
  return readFixture(`frames/${name}`)
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as CapturedLine);
}

export const FRAME_FILES = [
  "gateway-call-health.jsonl",
  "gateway-call-status.jsonl",
  "gateway-health.jsonl",
  "health-env.jsonl",
  "logs.jsonl",
  "status-remote-config.jsonl",
  "tui.jsonl",
];

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Gateway-side (closed) validation, as the gateway runs it. */
export function strictCheck(schema: TSchema, value: unknown): { ok: boolean; message: string } {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const ok = validate(value) as boolean;
  return { ok, message: ok ? "" : formatValidationErrors(validate.errors ?? []) };
}
