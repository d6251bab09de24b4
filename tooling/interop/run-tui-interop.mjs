#!/usr/bin/env node
// The real OpenClaw 2026.9.6 terminal UI (`openclaw tui`, on Node 24 from install.sh's cache)
// against a gateway, driven like a person would: it runs in a detached tmux session of a fixed
// size, the runner reads its screen (`tmux capture-pane -p`) and types into it (`tmux
// send-keys`). Every step waits for its text by polling the screen (bounded by --step-timeout)
// and fails with the last screen in the message. The TUI connects through a logging WebSocket
// proxy, so a failure also shows the requests the step made and the gateway's answers.
//
//   node tooling/interop/run-tui-interop.mjs --gateway-cmd "node apps/gateway/dist/cli.js gateway run"
//   node tooling/interop/run-tui-interop.mjs --url ws://127.0.0.1:18789 --token T
//   node tooling/interop/run-tui-interop.mjs --real-gateway   # reference (it has no model: no replies)
//
// The TUI runs with its own empty HOME (also its cwd), OPENCLAW_STATE_DIR under it, a config
// that only moves its log file into the temp dir, REAL_OPENCLAW_QUIET_ENV and no other
// OPENCLAW_*; the tmux server is private to the run (see ./tmux.mjs). Needs tmux (install.sh
// installs it with apt when missing) and packages/client/dist (pnpm build) for chat.history.
// Exit code: 0 all passed, 1 a check failed, 2 setup failed.
//
// Plain Node ESM on Node 20: node: built-ins, ./tmux.mjs, ./ws-proxy.mjs (`ws`), the client SDK.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { GATEWAY_OPTIONS_USAGE, REAL_OPENCLAW_QUIET_ENV, REPO_ROOT, cleanEnv, createChecklist, describeError, indent, runWithGateway, short } from "./lib.mjs";
import { compactScreen, startTmuxSession, tmuxVersion } from "./tmux.mjs";
import { WS_UNAVAILABLE, loadWs, requestsWithAnswers, startProxy } from "./ws-proxy.mjs";

const USAGE = `usage: node tooling/interop/run-tui-interop.mjs (--gateway-cmd CMD | --real-gateway | --url URL --token T) [options]
${GATEWAY_OPTIONS_USAGE}
  --connect-timeout MS how long the TUI may take to start and connect (default 90000)
  --step-timeout MS    how long each later step waits for its text on the TUI's screen (default 30000)
  --final-gap MS       hold a run's chat final until this long after its chat.send answer reached the
                       TUI (default 300; 0 = forward at once, which can leave the TUI "waiting": NOTES.md §15)
  --keep-temp          keep the temp dir (gateway state + log, TUI HOME + log, frames.log)
  --verbose            print the screen and the step's requests for passing checks too`;

const SDK_ENTRY = path.join(REPO_ROOT, "packages/client/dist/node.js");
const TESTING_ENTRY = path.join(REPO_ROOT, "packages/testing/dist/index.js");
/**
 * Our gateway runs on a model that takes thinking levels, so `/think high` means something: the
 * OpenAI-compatible fake from packages/testing as `openai/gpt-5` (levels minimal…high), echoing
 * each message as the offline provider would ("Echo: <message>").
 */
const FAKE_MODEL = "openai/gpt-5";
const COLUMNS = 160;
const ROWS = 50;
const EXIT_TIMEOUT_MS = 15_000;

// The TUI's status line is `<connection> | <activity>` ("gateway connected | idle", then
// "connected | idle"); with these activities it takes input.
const CONNECTED = /^\s*(?:gateway )?(?:re)?connected \| /m;
const READY = /^\s*(?:gateway )?(?:re)?connected \| (?:idle|error|aborted)\s*$/m;
// The TUI's own texts when a request fails (its chat log's system lines).
const SEND_FAILED = /send failed: .*/;
const SESSION_BUSY = /(?:abort the current run before \/\w+|session change in progress.*)/;

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The screen as one line (whitespace collapsed), so a reply the TUI wrapped still matches. */
const flat = (screen) => screen.replace(/\s+/g, " ");

/**
 * The proxy's pacing (see NOTES.md §15): the TUI 2026.9.6 stays "waiting" for good when it
 * handles a run's events before it has handled that run's chat.send answer, which happens when
 * they arrive in one socket read — with a remote model's latency never, with our fake or offline
 * model (tens of ms) often on a busy machine. The gateway sends the answer before the run's first
 * event; holding the run's events `gapMs` after the answer went out gives the TUI the time a
 * remote model would have. Nothing is reordered or changed.
 */
function holdFinalsAfterAnswers(gapMs) {
  const answeredAt = new Map(); // runId → when its chat.send answer went to the TUI
  return (frame) => {
    if (frame?.type === "res" && frame.ok && typeof frame.payload?.runId === "string") answeredAt.set(frame.payload.runId, Date.now());
    if (frame?.type !== "event" || (frame.event !== "chat" && frame.event !== "agent")) return 0;
    const at = answeredAt.get(frame.payload.runId);
    return at === undefined ? 0 : Math.max(0, at + gapMs - Date.now());
  };
}

/** One line per request: method, params, and the gateway's answer (payload or error). */
function describeRequests(requests) {
  if (requests.length === 0) return "    (none)";
  return requests
    .map(({ method, params, res }) => {
      const answer = !res ? "no answer" : res.ok ? `ok ${short(res.payload, 300)}` : `error ${res.error?.code} ${short(res.error?.message, 300)}`;
      return `    ${method} ${short(params, 300)} → ${answer}`;
    })
    .join("\n");
}

/** A check result for a screen wait that did not pass: reason, the step's requests, the screen. */
function failure(reason, result, { requests } = {}) {
  const parts = [reason];
  if (requests) parts.push(`  requests during the step:\n${describeRequests(requests)}`);
  parts.push(`  screen after ${result.ms} ms:\n${indent(compactScreen(result.screen), ROWS)}`);
  return parts.join("\n");
}

function whyNot(result, expected) {
  if (result.outcome === "fail") return `the TUI printed ${JSON.stringify(result.match[0].trim())} instead of ${expected}`;
  if (result.outcome === "exited") return `the TUI exited (status ${result.pane.status}) before showing ${expected}`;
  return `no ${expected} on the screen within ${result.ms} ms`;
}

const NEVER = /(?!)/;

/**
 * Types `text` once the TUI takes input and waits up to `waitMs` (default: the step timeout) for
 * `pass`/`fail` (see TmuxSession.waitForScreen). Returns the wait's result plus the requests the
 * TUI made meanwhile.
 */
async function step({ tui, proxy, timeoutMs }, { text, pass, fail = [], waitMs = timeoutMs }) {
  const ready = await tui.waitForScreen({ pass: READY, timeoutMs });
  if (ready.outcome !== "pass") return { ...ready, notReady: true, requests: [] };
  const from = proxy.frames.length;
  const baseline = await tui.counts([pass instanceof RegExp ? pass : NEVER, ...fail]);
  await tui.typeLine(text);
  const result = await tui.waitForScreen({ pass, fail, timeoutMs: waitMs, baseline });
  return { ...result, requests: requestsWithAnswers(proxy.frames.slice(from)) };
}

/**
 * Runs a step and turns it into a check result `{ result, problem?, detail? }`: `problem` is set
 * when the TUI was not ready or `pass` did not show; `detail` lists the step's requests.
 */
async function expectStep(context, { text, pass, fail, expected }) {
  const result = await step(context, { text, pass, fail });
  const detail = { requests: result.requests.map(({ method, res }) => `${method} → ${!res ? "no answer" : res.ok ? "ok" : res.error?.code}`) };
  if (result.notReady) return { result, problem: failure(`the TUI did not get ready for input (${result.outcome}) before ${JSON.stringify(text)}`, result) };
  if (result.outcome !== "pass") return { result, problem: failure(whyNot(result, expected), result, { requests: result.requests }) };
  if (context.verbose) console.log(`  screen after ${JSON.stringify(text)}:\n${indent(compactScreen(result.screen), ROWS)}`);
  return { result, detail };
}

async function main() {
  const version = await tmuxVersion();
  if (!version) {
    console.error("tmux not found; install it (apt-get install -y tmux; bash tooling/interop/install.sh does this when run as root)");
    return 2;
  }
  const WebSocket = loadWs();
  if (!WebSocket) {
    console.error(WS_UNAVAILABLE);
    return 2;
  }
  if (!existsSync(TESTING_ENTRY)) {
    console.error(`${TESTING_ENTRY} not found; run: pnpm build`);
    return 2;
  }
  const { startOpenAiFake } = await import(pathToFileURL(TESTING_ENTRY).href);
  const model = await startOpenAiFake({ script: [], afterScript: "echo", models: ["gpt-5"] });
  try {
    return await runTui({ model, WebSocket, version });
  } finally {
    await model.close();
  }
}

/** The runner proper, once tmux, ws and the fake model are there. */
async function runTui({ model, WebSocket, version }) {
  return runWithGateway(
    {
      argv: process.argv.slice(2),
      usage: USAGE,
      needsCli: "always",
      tempPrefix: "openclaw-tui-interop-",
      gatewayConfig: (options) =>
        options.realGateway
          ? undefined
          : {
              agents: { defaults: { model: FAKE_MODEL } },
              models: { providers: { openai: { api: "openai-compatible", baseUrl: `${model.url}/v1`, apiKey: "interop-fake-key" } } },
            },
      extraOptions: {
        "connect-timeout": { type: "string", default: "90000" },
        "step-timeout": { type: "string", default: "30000" },
        "final-gap": { type: "string", default: "300" },
      },
    },
    async ({ options, url, token, tempDir }) => {
      const [connectTimeoutMs, timeoutMs, finalGapMs] = ["connect-timeout", "step-timeout", "final-gap"].map((name) => Number(options.extra[name]));
      if (![connectTimeoutMs, timeoutMs].every((ms) => Number.isFinite(ms) && ms > 0) || !(Number.isFinite(finalGapMs) && finalGapMs >= 0)) {
        console.error("--connect-timeout and --step-timeout must be positive numbers of ms, --final-gap zero or more");
        return 2;
      }
      if (!existsSync(SDK_ENTRY)) {
        console.error(`${SDK_ENTRY} not found; run: pnpm build`);
        return 2;
      }
      const { connectNode } = await import(pathToFileURL(SDK_ENTRY).href);
      const redact = (text) => (token ? text.replaceAll(token, "<token>") : text);
      const framesPath = path.join(tempDir, "frames.log");
      const tuiHome = path.join(tempDir, "tui-home");
      const tuiState = path.join(tuiHome, ".openclaw");
      const tuiLogPath = path.join(tempDir, "tui.log");
      await mkdir(tuiState, { recursive: true });
      // Only moves its log out of the host-wide /tmp/openclaw/ (and silences "Config unavailable").
      await writeFile(path.join(tuiState, "openclaw.json"), `${JSON.stringify({ logging: { file: tuiLogPath } }, null, 2)}\n`);

      const { counts, check, notRun } = createChecklist(options);
      const runStarted = Date.now();
      const proxy = await startProxy(WebSocket, url, framesPath, redact, { delayToClient: finalGapMs > 0 ? holdFinalsAfterAnswers(finalGapMs) : undefined });
      let tui;
      let operator;
      // On SIGINT/SIGTERM lib.mjs stops the gateway, removes the temp dir and exits; the tmux
      // server (a daemon) and the TUI would outlive us, so they go first (killSync is synchronous).
      const killTuiOnSignal = () => tui?.killSync();
      process.once("SIGINT", killTuiOnSignal);
      process.once("SIGTERM", killTuiOnSignal);
      try {
        const argv = [options.node, options.cli, "tui", "--url", `ws://127.0.0.1:${proxy.port}`, "--token", token];
        tui = await startTmuxSession({
          dir: tempDir,
          name: "openclaw-tui",
          cols: COLUMNS,
          rows: ROWS,
          cwd: tuiHome,
          env: cleanEnv({ HOME: tuiHome, OPENCLAW_STATE_DIR: tuiState, ...REAL_OPENCLAW_QUIET_ENV }),
          argv,
        });
        console.log(`# ${version}, ${COLUMNS}x${ROWS}: openclaw tui --url ws://127.0.0.1:${proxy.port} --token <token> (proxy to ${url})`);
        const context = { tui, proxy, timeoutMs, verbose: options.verbose };
        const nonce = randomBytes(4).toString("hex");

        // 1. The status line says connected once the TUI has subscribed, loaded agents and history.
        const connected = await check("tui connects", async () => {
          const result = await tui.waitForScreen({
            pass: CONNECTED,
            fail: [/startup failed: .*/, /session event subscribe failed: .*/],
            timeoutMs: connectTimeoutMs,
          });
          if (result.outcome !== "pass")
            return failure(whyNot(result, '"connected" in the status line'), result, { requests: requestsWithAnswers(proxy.frames) });
          return null;
        });
        const steps = [
          "tui message gets a reply",
          "tui /new starts a new session",
          "tui /think high is accepted",
          "tui /status shows our status",
          "tui /reset clears the history",
          "tui /exit exits cleanly",
        ];
        if (!connected) {
          for (const name of steps) notRun(name, "the TUI did not connect");
        } else {
          // 2. A message; the fake model (or the offline provider) echoes it ("Echo: <message>").
          const message = `interop tui hello ${nonce}`;
          await check(steps[0], () =>
            expectStep(context, { text: message, pass: new RegExp(`Echo: ${escapeRegExp(message)}`), fail: [SEND_FAILED], expected: "the echoed reply" }),
          );

          // 3. /new: sessions.create, then "new session: <key>".
          await check(steps[1], () =>
            expectStep(context, { text: "/new", pass: /new session: \S+/, fail: [/new session failed: .*/, SESSION_BUSY], expected: '"new session: <key>"' }),
          );

          // 4. /think high: sessions.patch {thinkingLevel: "high"}, then "thinking set to high".
          await check(steps[2], () =>
            expectStep(context, { text: "/think high", pass: /thinking set to high/, fail: [/think failed: .*/], expected: '"thinking set to high"' }),
          );

          // 5. /status goes out as chat.send text; the gateway's chat-command layer answers it
          //    (the model never sees it), so "Echo: /status" means the model got it.
          await check(steps[3], () =>
            expectStep(context, {
              text: "/status",
              pass: (screen) => /Session: agent:main:\S+/.test(flat(screen)) && /Uptime: \S+/.test(flat(screen)),
              fail: [/Echo: \/status/, SEND_FAILED],
              expected: '"Session: agent:main:…" and "Uptime: …" (our /status reply)',
            }),
          );

          // 6. /reset: sessions.reset, then "session <key> reset"; a message sent before it is gone
          //    from the screen and from the session's chat.history.
          await check(steps[4], async () => {
            const marker = `interop tui before reset ${nonce}`;
            const before = await expectStep(context, {
              text: marker,
              pass: new RegExp(`Echo: ${escapeRegExp(marker)}`),
              fail: [SEND_FAILED],
              expected: "the echoed reply",
            });
            if (before.problem) return `the message before /reset got no reply: ${before.problem}`;
            const reset = await expectStep(context, {
              text: "/reset",
              pass: /session (\S+) reset/,
              fail: [/reset failed: .*/, SESSION_BUSY],
              expected: '"session <key> reset"',
            });
            if (reset.problem) return reset;
            const sessionKey = reset.result.match[1];
            if (reset.result.screen.includes(marker)) return failure(`"${marker}" is still on the screen after the reset`, reset.result);
            operator ??= await connectNode({ url, token, scopes: ["operator.read"], reconnect: false });
            const history = await operator.call("chat.history", { sessionKey, limit: 200 });
            const kept = (history.messages ?? []).filter((entry) => JSON.stringify(entry).includes(marker));
            if (kept.length > 0) return { problem: `chat.history of ${sessionKey} still has the message sent before the reset`, detail: kept };
            return { detail: { sessionKey, messagesAfterReset: history.messages?.length } };
          });

          // 7. /exit: the TUI ends with status 0.
          await check(steps[5], async () => {
            const result = await step(context, { text: "/exit", pass: NEVER, waitMs: EXIT_TIMEOUT_MS });
            if (result.notReady) return failure("the TUI did not get ready for input before /exit", result);
            if (result.outcome !== "exited") return failure(`the TUI still runs ${result.ms} ms after /exit`, result);
            if (result.pane.status !== 0) return failure(`the TUI exited with status ${result.pane.status ?? "unknown (killed)"}`, result);
            return null;
          });
        }
      } catch (error) {
        notRun("setup", describeError(error));
      } finally {
        await operator?.close().catch(() => {});
        tui?.killSync();
        process.off("SIGINT", killTuiOnSignal);
        process.off("SIGTERM", killTuiOnSignal);
        await proxy.stop();
      }

      // Every request the TUI made that the gateway refused: what a gateway feature still lacks.
      const refused = requestsWithAnswers(proxy.frames).filter(({ res }) => res && !res.ok);
      for (const { method, params, res } of refused) {
        console.log(`# the TUI's ${method} ${short(params, 200)} was refused: ${res.error?.code} ${short(res.error?.message, 300)}`);
      }
      if (counts.failed > 0 || options.verbose) {
        const tuiLog = await readFile(tuiLogPath, "utf8").catch(() => "");
        const logLines = redact(tuiLog)
          .split("\n")
          .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
        if (tuiLog.trim()) console.log(`  TUI log (${tuiLogPath}):\n${indent(logLines.join("\n"), 20)}`);
        console.log(`  frames: ${framesPath}${options.keepTemp ? "" : " (use --keep-temp to keep)"}`);
      }
      console.log(`# tui interop took ${Date.now() - runStarted} ms after the gateway was ready`);
      console.log(`${counts.passed} passed, ${counts.failed} failed`);
      return counts.failed === 0 ? 0 : 1;
    },
  );
}

process.exitCode = await main();
