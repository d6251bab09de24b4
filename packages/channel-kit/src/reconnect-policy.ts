import type { Static } from "@sinclair/typebox";
// protocol's bundled builder: one TypeBox copy at run time, and no cost of TypeBox's full entry.
import { Type } from "@openclaw/protocol";
import type { ReconnectSupervisorOptions } from "./reconnect-supervisor.js";

/** The `reconnect` block a channel account accepts; absent keys take the channel's defaults. */
export const ReconnectConfigSchema = Type.Object(
  {
    /** First backoff ceiling. */
    initialMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
    /** Largest backoff. */
    maxMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
    /** Restarts allowed in any hour before the account stops for good. */
    maxRestartsPerHour: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "a number > 0" })),
  },
  { additionalProperties: false, description: "{ initialMs?, maxMs?, maxRestartsPerHour? } (numbers > 0)" },
);
export type ReconnectConfig = Static<typeof ReconnectConfigSchema>;

/** Defaults for a bot-API channel: 1 s doubling to 60 s, 30 restarts an hour. */
export const DEFAULT_RECONNECT: Required<ReconnectConfig> = { initialMs: 1_000, maxMs: 60_000, maxRestartsPerHour: 30 };

/** The supervisor's backoff and budget from an account's `reconnect` block over the channel's defaults. */
export function supervisorPolicy(
  config: ReconnectConfig | undefined,
  defaults: Required<ReconnectConfig> = DEFAULT_RECONNECT,
): Pick<ReconnectSupervisorOptions, "backoff" | "maxRestartsPerHour"> {
  return {
    backoff: { initialDelayMs: config?.initialMs ?? defaults.initialMs, maxDelayMs: config?.maxMs ?? defaults.maxMs },
    maxRestartsPerHour: config?.maxRestartsPerHour ?? defaults.maxRestartsPerHour,
  };
}

/** Waits `ms`, or less if `signal` aborts; the timer never outlives the wait. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
