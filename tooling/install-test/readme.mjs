// The node-SDK README read as a user follows it: the install line, the "A minimal node" code block to
// save, the shell line that runs it, and the `openclaw` commands to type afterwards.
import { readFileSync } from "node:fs";

const SECTION = "## A minimal node";
const INSTALL = "## Install";

/** Fenced blocks of a Markdown text, in order: `{ lang, body }`. */
function fencedBlocks(text) {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1], body: match[2] }));
}

/** The fenced blocks between `heading` and the next `## ` heading. */
function sectionBlocks(readme, heading, readmePath) {
  const start = readme.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`${readmePath}: no "${heading}" section`);
  const next = readme.indexOf("\n## ", start + heading.length);
  return fencedBlocks(readme.slice(start, next < 0 ? undefined : next));
}

/** The non-blank lines of a section's ```sh blocks, comments dropped. */
function shellLines(blocks) {
  return blocks
    .filter((block) => block.lang === "sh")
    .flatMap((block) => block.body.split("\n"))
    .map(withoutComment)
    .filter((line) => line !== "");
}

/** A shell line without its trailing `# comment` (quotes respected) and surrounding blanks. */
export function withoutComment(line) {
  let quote;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) quote = char === quote ? undefined : quote;
    else if (char === "'" || char === '"') quote = char;
    else if (char === "#" && (index === 0 || /\s/.test(line[index - 1]))) return line.slice(0, index).trim();
  }
  return line.trim();
}

/**
 * The install lines (the "Install" section's shell block), the section's code (its first ```ts or ```js
 * block), the file the README runs it as (from the shell line `… node <file>`, kept as `run`), and the other
 * shell lines (`commands`), with `<token>`/`<nodeId>` left as placeholders for the caller. Throws when the
 * README no longer has that shape, so a rewrite is noticed.
 */
export function readMinimalNode(readmePath) {
  const readme = readFileSync(readmePath, "utf8");
  const blocks = sectionBlocks(readme, SECTION, readmePath);
  const code = blocks.find((block) => block.lang === "ts" || block.lang === "js")?.body;
  if (!code) throw new Error(`${readmePath}: no \`\`\`ts block under "${SECTION}"`);
  const lines = shellLines(blocks);
  const run = lines.find((line) => /(^|\s)node\s+\S+\.m?js$/.test(line));
  if (!run) throw new Error(`${readmePath}: no \`node <file>.mjs\` line in a \`\`\`sh block under "${SECTION}"`);
  const file = /node\s+(\S+\.m?js)$/.exec(run)[1];
  const install = shellLines(sectionBlocks(readme, INSTALL, readmePath));
  if (install.length === 0) throw new Error(`${readmePath}: no \`\`\`sh block under "${INSTALL}"`);
  return { install, code, file, run, commands: lines.filter((line) => line !== run) };
}
