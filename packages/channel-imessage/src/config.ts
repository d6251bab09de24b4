import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

/** The settings of one iMessage account (`channels.imessage`, or `channels.imessage.accounts.<id>`). */
export const ImessageConfigSchema = Type.Object(
  {
    /** The imsg binary, or an SSH wrapper for a remote Mac. @default "imsg" */
    cliPath: Type.Optional(Type.String({ minLength: 1, description: "the imsg executable (or an SSH wrapper)" })),
    /** chat.db to read instead of the user's own. */
    dbPath: Type.Optional(Type.String({ minLength: 1, description: "a path to chat.db" })),
    /** Ask imsg for attachments (their files are then downloaded for the agent). @default false */
    includeAttachments: Type.Optional(Type.Boolean({ description: "true or false" })),
    /**
     * Folders inbound attachment files may be read from, besides the defaults (Messages' attachments folder and imsg's
     * converted-attachments cache, of any user under /Users and of the gateway's user). Absolute or `~/…`; `*` matches one path segment.
     */
    attachmentRoots: Type.Optional(
      Type.Array(Type.String({ pattern: "^(/|~/|~$)", description: "an absolute path or ~/…" }), { description: "a list of absolute folders" }),
    ),
    /** Restart backoff after imsg exits. @default { initialMs: 1000, maxMs: 60000, maxRestartsPerHour: 60 } */
    reconnect: Type.Optional(ReconnectConfigSchema),
    /**
     * Live rows older than this are a backlog (an iCloud sync), not news, and are skipped. Catch-up
     * rows after a restart are what arrived while nothing watched, and are delivered; only those
     * older than the gap by this much are a backlog. @default 900 000 (15 min)
     */
    backlogMaxAgeMs: Type.Optional(Type.Number({ minimum: 0, description: "milliseconds >= 0" })),
    /** Per request. @default 10 000 */
    requestTimeoutMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "milliseconds > 0" })),
  },
  { additionalProperties: false },
);
export type ImessageConfig = Static<typeof ImessageConfigSchema>;
