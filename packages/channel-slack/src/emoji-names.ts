/** Slack names reactions, not characters: the emoji an acknowledgement usually uses, by character. */
const NAMES: Readonly<Record<string, string>> = {
  "👀": "eyes",
  "✅": "white_check_mark",
  "👍": "+1",
  "👌": "ok_hand",
  "🙏": "pray",
  "🤔": "thinking_face",
  "⏳": "hourglass_flowing_sand",
  "❤️": "heart",
  "❤": "heart",
};

/** `:eyes:`, `eyes` or `👀` → `eyes`; any other character is passed on and Slack refuses it (`invalid_name`). */
export function slackReactionName(emoji: string): string {
  const trimmed = emoji.trim();
  return NAMES[trimmed] ?? trimmed.replace(/^:|:$/g, "");
}
