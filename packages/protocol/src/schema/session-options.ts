import { Type } from "@sinclair/typebox";
import { NonEmptyString, openObject } from "./primitives.js";

/**
 * A session's own settings as results carry them (session rows, `entry`, `chat.history`); a field
 * is present only when the session sets it. Values stay strings here: what a gateway accepts is
 * checked by `sessions.patch`, and readers must tolerate levels they do not know.
 */
export const SessionOptionFields = {
  thinkingLevel: Type.Optional(Type.String()),
  fastMode: Type.Optional(Type.Boolean()),
  verboseLevel: Type.Optional(Type.String()),
  reasoningLevel: Type.Optional(Type.String()),
  responseUsage: Type.Optional(Type.String()),
  sendPolicy: Type.Optional(Type.String()),
  groupActivation: Type.Optional(Type.String()),
  queueMode: Type.Optional(Type.String()),
};

/** One thinking level a model takes, as the TUI's `/think` offers it. */
export const ThinkingLevel = openObject({ id: NonEmptyString, label: Type.String() });

/** The thinking levels of a model (an agent's, a session's, the defaults'). */
export const ThinkingFields = {
  thinkingLevels: Type.Optional(Type.Array(ThinkingLevel)),
  /** The level ids of `thinkingLevels`. */
  thinkingOptions: Type.Optional(Type.Array(Type.String())),
  /** The level runs use when the session sets none. */
  thinkingDefault: Type.Optional(Type.String()),
  /** Why `thinkingLevels` is empty. */
  thinkingUnsupportedReason: Type.Optional(Type.String()),
};
