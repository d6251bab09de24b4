/** One problem in a config file, located by its dotted key path (`gateway.auth.mode`). */
export interface ConfigIssue {
  /** Dotted path; array items as `[i]`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** `["gateway", "trustedProxies", 0]` → `gateway.trustedProxies[0]`. */
export function formatKeyPath(segments: readonly (string | number)[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path.length === 0 ? segment : `.${segment}`;
  }
  return path;
}

/** `config key gateway.port: expected integer 1..65535, got "abc"`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path.length === 0 ? `config: ${issue.message}` : `config key ${issue.path}: ${issue.message}`;
}

/** Every issue, one sentence each, joined with `; `. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatConfigIssue).join("; ");
}
