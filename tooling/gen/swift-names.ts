// Swift spelling: identifiers from JSON keys and definition names, escaping, string literals.

// Swift keywords (plus contextual ones that bite in declarations). Backticks are
// harmless on any identifier, so over-escaping is safe; under-escaping is a compile error.
const KEYWORDS = new Set(
  (
    "associatedtype class deinit enum extension fileprivate func import init inout internal let open " +
    "operator private precedencegroup protocol public rethrows static struct subscript typealias var " +
    "break case catch continue default defer do else fallthrough for guard if in repeat return switch " +
    "throw where while as await false is nil super throws true try any some Any Type Protocol " +
    "actor async associativity convenience dynamic didSet final get indirect lazy mutating nonmutating " +
    "optional override required set unowned weak willSet"
  ).split(" "),
);
// Names that cannot be used even with backticks (or would break `self.x` assignments).
const RENAME = new Set(["self", "Self", "_", "init", "deinit", "subscript"]);

export function ident(name: string): string {
  return KEYWORDS.has(name) ? `\`${name}\`` : name;
}

const isUpperWord = (w: string): boolean => /^[A-Z0-9]+$/.test(w) && /[A-Z]/.test(w);
const upperFirst = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
// "URLPath" -> "urlPath", "Foo" -> "foo": lower the leading acronym, not just one letter.
const lowerFirst = (w: string): string => w.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]+/, (m) => m.toLowerCase());

function words(raw: string): string[] {
  return raw.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
}

/** JSON key or enum value -> lowerCamel Swift member name (raw, unescaped). */
export function camel(raw: string): string {
  const ws = words(raw);
  if (ws.length === 0) return "value";
  const out = ws
    .map((w, i) => {
      if (i === 0) return isUpperWord(w) ? w.toLowerCase() : lowerFirst(w);
      return isUpperWord(w) ? upperFirst(w.toLowerCase()) : upperFirst(w);
    })
    .join("");
  const safe = /^[0-9]/.test(out) ? `_${out}` : out;
  return RENAME.has(safe) ? `${safe}_` : safe;
}

/** Definition name / hint fragment -> UpperCamel Swift type name. */
export function pascal(raw: string): string {
  // Already-valid identifiers keep their spelling ("HTTPConfig" stays, not "HttpConfig").
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(raw)) return upperFirst(raw);
  const ws = words(raw);
  if (ws.length === 0) return "Value";
  const out = ws.map((w) => upperFirst(isUpperWord(w) ? w.toLowerCase() : w)).join("");
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/** Deterministically de-duplicates names by suffixing 2, 3, ... in input order. */
export function uniqueNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  return names.map((n) => {
    let candidate = n;
    for (let i = 2; used.has(candidate); i++) candidate = `${n}${i}`;
    used.add(candidate);
    return candidate;
  });
}

export function swiftString(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return `"${out}"`;
}
