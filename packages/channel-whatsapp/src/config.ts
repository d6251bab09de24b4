import type { Static } from "@sinclair/typebox";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";

/** The settings of one WhatsApp account (`channels.whatsapp`, or `channels.whatsapp.accounts.<id>`). */
export const WhatsAppConfigSchema = Type.Object(
  {
    /** Where the auth state lives. @default <stateDir>/credentials/whatsapp/<accountId> */
    authDir: Type.Optional(Type.String({ minLength: 1, description: "a directory path" })),
    /** WhatsApp is wary of frequent reconnects. @default { initialMs: 2000, maxMs: 120000, maxRestartsPerHour: 20 } */
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);
export type WhatsAppConfig = Static<typeof WhatsAppConfigSchema>;
