import { css } from "lit";

/** Shared look of every view: cards, tables, buttons, forms. Colors come from page.css. */
export const viewStyles = css`
  :host {
    display: block;
    color: var(--oc-text);
  }
  h2 {
    font-size: 1.15rem;
    margin: 0 0 0.75rem;
  }
  h3 {
    font-size: 1rem;
    margin: 1.25rem 0 0.5rem;
  }
  .card {
    background: var(--oc-surface);
    border: 1px solid var(--oc-border);
    border-radius: 10px;
    padding: 1rem 1.1rem;
    margin-bottom: 1rem;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    gap: 0.75rem;
  }
  .stat {
    background: var(--oc-surface);
    border: 1px solid var(--oc-border);
    border-radius: 10px;
    padding: 0.8rem 1rem;
  }
  .stat .label {
    color: var(--oc-muted);
    font-size: 0.8rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .stat .value {
    font-size: 1.05rem;
    font-weight: 600;
    margin-top: 0.25rem;
    overflow-wrap: anywhere;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--oc-border);
    vertical-align: top;
  }
  th {
    color: var(--oc-muted);
    font-weight: 600;
    font-size: 0.8rem;
  }
  code,
  pre {
    font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
    font-size: 0.85rem;
  }
  pre {
    background: var(--oc-code-bg);
    border-radius: 8px;
    padding: 0.6rem 0.75rem;
    overflow: auto;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0.5rem 0;
  }
  button {
    font: inherit;
    border: 1px solid var(--oc-border);
    background: var(--oc-surface);
    color: var(--oc-text);
    border-radius: 7px;
    padding: 0.35rem 0.8rem;
    cursor: pointer;
  }
  button.primary {
    background: var(--oc-accent);
    border-color: var(--oc-accent);
    color: var(--oc-accent-text);
  }
  button.danger {
    color: var(--oc-error);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--oc-text);
    background: var(--oc-surface);
    border: 1px solid var(--oc-border);
    border-radius: 7px;
    padding: 0.4rem 0.55rem;
    box-sizing: border-box;
  }
  label {
    display: block;
    font-size: 0.85rem;
    color: var(--oc-muted);
    margin: 0.5rem 0 0.2rem;
  }
  .muted {
    color: var(--oc-muted);
  }
  .error {
    color: var(--oc-error);
  }
  .ok {
    color: var(--oc-ok);
  }
  .warn {
    color: var(--oc-warn);
  }
  .pill {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05rem 0.55rem;
    font-size: 0.78rem;
    border: 1px solid var(--oc-border);
  }
  .pill.ok {
    border-color: var(--oc-ok);
  }
  .pill.error {
    border-color: var(--oc-error);
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  .spacer {
    flex: 1;
  }
  .empty {
    color: var(--oc-muted);
    font-style: italic;
    padding: 0.5rem 0;
  }
  img.qr {
    display: block;
    margin: 0.5rem 0;
    background: #fff;
    image-rendering: pixelated;
  }
`;
