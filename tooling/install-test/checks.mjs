// What the install test accepts from each step's output: a step that exits non-zero, times out or prints
// an error fails, and the README's commands must print what the README's node answers.

/** Why a finished `openclaw …` command failed, or undefined: exit 0, nothing on stderr, no error in stdout. */
export function cliProblem(result) {
  if (result.timedOut) return "timed out";
  if (result.code !== 0) return `exited ${result.code ?? result.signal}`;
  if (result.stderr.trim() !== "") return "printed on stderr";
  if (/\berror\b/i.test(result.stdout)) return "printed an error";
  return undefined;
}

/**
 * Why a conformance kit run failed, or undefined: it ran every check (nothing on stderr but npm's notices, the
 * closing summary line) and, when `conformant`, no check failed (exit 0). Its table names checks such as
 * `handshake.error.*`, so the word "error" alone says nothing here.
 */
export function conformanceProblem(result, { conformant = true } = {}) {
  if (result.timedOut) return "timed out";
  if (result.code !== 0 && !(result.code === 1 && !conformant)) return `exited ${result.code ?? result.signal}`;
  const stderr = result.stderr
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^npm (warn|notice)/.test(line))
    .join("\n");
  if (stderr !== "") return "printed on stderr";
  if (!conformant) return /^\d+ passed, \d+ failed \(\d+ MUST, \d+ SHOULD\), \d+ skipped; /m.test(result.stdout) ? undefined : "no summary line";
  if (!/^\d+ passed, 0 failed \(0 MUST, 0 SHOULD\), \d+ skipped; conformant/m.test(result.stdout)) return "no summary line with 0 failed";
  return undefined;
}

/** Why an `npm install` failed, or undefined. npm's warnings (install scripts, deprecations) are not failures. */
export function installProblem(result) {
  if (result.timedOut) return "timed out";
  if (result.code !== 0) return `exited ${result.code ?? result.signal}`;
  if (/^npm (error|ERR!)/m.test(result.output)) return "printed an npm error";
  return undefined;
}

/** The gateway's log lines at level error or fatal: pino JSON when stdout is not a terminal, else pretty lines. */
export function gatewayErrors(output) {
  return output.split("\n").filter((line) => /"level":\s*(?:"(?:error|fatal)"|[56]0\b)/.test(line) || /^\S*\s*(?:ERROR|FATAL)\b/.test(line));
}

function json(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What each README command must print, by the command it runs. */
export const README_EXPECTATIONS = [
  {
    matches: (line) => / nodes approve /.test(line),
    check: (out) => /^Commands approved: garden\.moisture, location\.get$/m.test(out),
    what: '"Commands approved: garden.moisture, location.get"',
  },
  {
    matches: (line) => / nodes invoke \S+ garden\.moisture/.test(line),
    check: (out) => json(out)?.percent === 42,
    what: "the node's answer {percent: 42} as JSON",
  },
  {
    matches: (line) => / nodes invoke \S+ location\.get .*precise/.test(line),
    check: (out) => json(out)?.accuracyMeters === 5 && json(out)?.lat === 48.8566,
    what: "the node's precise location (accuracyMeters 5) as JSON",
  },
  { matches: (line) => / nodes invoke /.test(line), check: (out) => json(out) !== undefined, what: "JSON" },
];

/** `text` as one single-quoted shell word. */
export function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
