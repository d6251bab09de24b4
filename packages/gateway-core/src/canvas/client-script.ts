import { CANVAS_CAPABILITY_PATH, CANVAS_CAPABILITY_QUERY, CANVAS_WS_PATH } from "./paths.js";

/**
 * The in-page bridge: `OpenClaw.postMessage` / `OpenClaw.sendUserAction` and their top-level
 * aliases forward to the native `openclawCanvasA2UIAction` handler (iOS WKScriptMessageHandler,
 * Android JS interface). Returns false when no native bridge is present, e.g. in a browser.
 */
const BRIDGE = `
  var handlerName = "openclawCanvasA2UIAction";
  function postToNode(payload) {
    try {
      var raw = typeof payload === "string" ? payload : JSON.stringify(payload);
      var ios = globalThis.webkit && globalThis.webkit.messageHandlers && globalThis.webkit.messageHandlers[handlerName];
      if (ios && typeof ios.postMessage === "function") { ios.postMessage(raw); return true; }
      var android = globalThis[handlerName];
      if (android && typeof android.postMessage === "function") { android.postMessage(raw); return true; }
    } catch (error) {}
    return false;
  }
  function sendUserAction(action) {
    var id = action && typeof action.id === "string" && action.id ? action.id
      : (globalThis.crypto && globalThis.crypto.randomUUID ? globalThis.crypto.randomUUID() : String(Date.now()));
    return postToNode({ userAction: Object.assign({}, action, { id: id }) });
  }
  globalThis.OpenClaw = globalThis.OpenClaw || {};
  globalThis.OpenClaw.postMessage = postToNode;
  globalThis.OpenClaw.sendUserAction = sendUserAction;
  globalThis.openclawPostMessage = postToNode;
  globalThis.openclawSendUserAction = sendUserAction;`;

/**
 * The reload socket. A page opened through a capability URL has no other credential, so the
 * socket reuses the page's capability prefix or `oc_cap` query.
 */
const RELOAD = `
  try {
    var capPrefix = (location.pathname.match(/^${CANVAS_CAPABILITY_PATH.replace(/\//g, "\\/")}\\/[A-Za-z0-9_-]+/) || [""])[0];
    var capQuery = new URLSearchParams(location.search).get("${CANVAS_CAPABILITY_QUERY}");
    var wsUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + capPrefix + "${CANVAS_WS_PATH}"
      + (capQuery ? "?${CANVAS_CAPABILITY_QUERY}=" + encodeURIComponent(capQuery) : "");
    var socket = new WebSocket(wsUrl);
    socket.onmessage = function (event) { if (String(event.data) === "reload") location.reload(); };
  } catch (error) {}`;

/** The `<script>` injected into HTML responses. */
export function canvasClientScript(liveReload: boolean): string {
  return `<script data-openclaw-canvas>(function () {${BRIDGE}${liveReload ? RELOAD : ""}\n})();</script>`;
}

/** Insert the script just before the last `</body>`, or append it when the page has none. */
export function injectClientScript(html: string, script: string): string {
  const at = html.toLowerCase().lastIndexOf("</body>");
  return at === -1 ? `${html}\n${script}\n` : `${html.slice(0, at)}${script}\n${html.slice(at)}`;
}

/** Served in place of a missing root index.html so a fresh canvas shows something and live-reloads. */
export const CANVAS_SCAFFOLD_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>OpenClaw Canvas</title>
    <style>
      body { margin: 0; min-height: 100vh; display: grid; place-items: center; font-family: system-ui, sans-serif; color: #555; background: #fafafa; }
      main { text-align: center; padding: 24px; }
    </style>
  </head>
  <body>
    <main>
      <h1>The canvas is empty</h1>
      <p>Add an <code>index.html</code> to the canvas folder; this page reloads when it appears.</p>
    </main>
  </body>
</html>
`;
