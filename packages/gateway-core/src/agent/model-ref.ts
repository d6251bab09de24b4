/** The agent a request means when it names none. */
export const DEFAULT_AGENT = "main";

/** A model ref split as `sessions.describe` shows it; a bare model id stays on the default provider. */
export function splitModelRef(ref: string, defaultProvider: string): { modelProvider: string; model: string } {
  const slash = ref.indexOf("/");
  return slash > 0 ? { modelProvider: ref.slice(0, slash), model: ref.slice(slash + 1) } : { modelProvider: defaultProvider, model: ref };
}
