import { bareModelName } from "./thinking.js";

/** What a model takes as input: text, and images with it. */
export type ModelInput = "text" | "image";

/**
 * What declared models take, by model id as runs name it, e.g. `{ "llava:13b": ["text", "image"] }`.
 * A declared model takes images exactly when its list has `image`; models not named here follow the
 * provider's built-in rule.
 */
export type ModelInputs = Readonly<Record<string, readonly ModelInput[]>>;

/** Whether `model` takes images: as `declared` says when it names the model, else as `builtIn` says of its bare name. */
export function takesImages(model: string, declared: ModelInputs | undefined, builtIn: (bareName: string) => boolean): boolean {
  if (declared && Object.hasOwn(declared, model)) return declared[model]!.includes("image");
  return builtIn(bareModelName(model));
}

/** OpenAI's gpt-4o, gpt-4.1 and gpt-5 families, except their audio, realtime, transcription and speech models. */
export const openAiTakesImages = (name: string): boolean => /^(?:gpt-4o|gpt-4\.1|gpt-5)/.test(name) && !/audio|realtime|transcribe|tts/.test(name);

/** Every Claude model from Claude 3 on; not claude-2 or claude-instant. */
export const claudeTakesImages = (name: string): boolean => name.startsWith("claude-") && !/^claude-(?:2|instant)/.test(name);
