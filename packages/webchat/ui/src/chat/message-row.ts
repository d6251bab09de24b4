/**
 * One transcript entry as the chat shows it: who and when, the text (with a caret while it
 * streams), its files as thumbnails or labelled chips, the tool calls of the run, and its error.
 * The chat view owns the data; this module owns how a row looks.
 */
import { css, html, nothing } from "lit";
import type { InboundMedia } from "@openclaw/protocol";
import { formatJson } from "../format.js";
import { attachmentLabel, hasThumbnail, type ThumbnailCache } from "./attachments.js";
import type { ChatEntry } from "./transcript.js";

/** Where a row's stored images come from; without a connection no thumbnail is fetched. */
export interface AttachmentThumbnails {
  readonly thumbnails: ThumbnailCache;
  readonly connected: boolean;
}

export const messageRowStyles = css`
  .msg {
    width: fit-content;
    max-width: 78%;
    margin: 0.4rem 0;
    padding: 0.55rem 0.8rem;
    border-radius: 12px;
    background: var(--oc-code-bg);
  }
  .msg.user {
    margin-left: auto;
    background: var(--oc-accent);
    color: var(--oc-accent-text);
  }
  .msg.system {
    max-width: 100%;
    background: transparent;
    color: var(--oc-muted);
    font-style: italic;
  }
  .msg .meta {
    font-size: 0.72rem;
    opacity: 0.75;
    margin-bottom: 0.2rem;
  }
  .msg .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .msg.streaming .text::after {
    content: "▍";
    animation: blink 1s steps(2) infinite;
  }
  @keyframes blink {
    50% {
      opacity: 0;
    }
  }
  .tools {
    margin-top: 0.4rem;
  }
  details.tool {
    font-size: 0.82rem;
    border-left: 3px solid var(--oc-border);
    padding-left: 0.5rem;
    margin: 0.25rem 0;
  }
  .thumb {
    max-width: 240px;
    max-height: 180px;
    border-radius: 0.4rem;
    object-fit: cover;
  }
`;

/** One entry's row; `data-testid`s and `data-*` attributes are what the browser tests read. */
export function renderMessageRow(entry: ChatEntry, attachments: AttachmentThumbnails) {
  const time = entry.timestamp ? new Date(entry.timestamp).toLocaleTimeString() : "";
  const status = entry.status === "final" || entry.status === "sent" ? "" : entry.status;
  return html`<div
    class="msg ${entry.role} ${entry.status}"
    data-testid="chat-message"
    data-role=${entry.role}
    data-status=${entry.status}
    data-run-id=${entry.runId ?? ""}
  >
    <div class="meta">
      ${entry.role === "user" ? "You" : entry.role === "assistant" ? "Agent" : "System"}${time ? ` · ${time}` : ""}${status ? ` · ${status}` : ""}
    </div>
    <div class="text" data-testid="message-text">${entry.text}</div>
    ${entry.media && entry.media.length > 0 ? html`<div class="attachments">${entry.media.map((media) => renderAttachment(media, attachments))}</div>` : nothing}
    ${
      entry.tools.length > 0
        ? html`<div class="tools">
            ${entry.tools.map(
              (tool) =>
                html`<details class="tool" data-testid="tool-activity">
                  <summary>${tool.isError ? "⚠ " : ""}${tool.name} · ${tool.phase === "result" ? "done" : "running"}</summary>
                  ${tool.args !== undefined ? html`<pre>${formatJson(tool.args)}</pre>` : nothing}
                  ${tool.result !== undefined ? html`<pre>${typeof tool.result === "string" ? tool.result : formatJson(tool.result)}</pre>` : nothing}
                </details>`,
            )}
          </div>`
        : nothing
    }
    ${entry.error ? html`<div class="error">${entry.error}</div>` : nothing}
  </div>`;
}

/** A stored image as a thumbnail (its line while it loads or when it cannot be fetched); anything else as its line. */
function renderAttachment(media: InboundMedia, { thumbnails, connected }: AttachmentThumbnails) {
  const label = attachmentLabel(media);
  if (hasThumbnail(media) && !thumbnails.failedFor(media)) {
    const url = connected ? thumbnails.url(media) : undefined;
    if (url !== undefined) return html`<img class="thumb" data-testid="attachment-thumb" src=${url} alt=${label} title=${label} />`;
  }
  return html`<span class="chip" data-testid="attachment">${label}</span>`;
}
