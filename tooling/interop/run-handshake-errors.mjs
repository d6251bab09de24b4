#!/usr/bin/env node
// Replays the 21 cases of fixtures/openclaw-2026.9.6/handshake-errors.txt (bad handshakes,
// and bad frames sent after a good handshake, captured from the real OpenClaw 2026.9.6
// gateway) against a gateway with a raw WebSocket client, and checks that the answer has
// the same error.code, error.details.code, error.message (then the whole error object), and
// the same close code/reason (or, for v2-signature and the "after:" cases, that the socket
// stays open, and for the "after:" cases that it still answers `health`).
//
//   node tooling/interop/run-handshake-errors.mjs --gateway-cmd "node apps/gateway/dist/cli.js gateway run"
//   node tooling/interop/run-handshake-errors.mjs --real-gateway     # the real OpenClaw gateway
//   node tooling/interop/run-handshake-errors.mjs --url ws://127.0.0.1:18789 --token T
//
// Gateway start/stop and the shared options are the same as run-cli-interop.mjs (./lib.mjs).
// Exit code: 0 all passed, 1 a case failed, 2 setup failed.
//
// Plain Node ESM on Node 20: node: built-ins plus `ws`, which is not hoisted to the repo
// root, so ./ws-proxy.mjs resolves it through packages/gateway-core (a dependency there).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { GATEWAY_OPTIONS_USAGE, indent, runWithGateway, sleep } from "./lib.mjs";
import { WS_UNAVAILABLE, loadWs } from "./ws-proxy.mjs";
import { CLIENT_VERSION, newIdentity, signDevice, selfTestSigning, Connection, truncate } from "./handshake-client.mjs";

const WebSocket = loadWs();
if (!WebSocket) {
  console.error(WS_UNAVAILABLE);
  process.exit(2);
}

const USAGE = `usage: node tooling/interop/run-handshake-errors.mjs (--gateway-cmd CMD | --real-gateway | --url URL --token T) [options]
${GATEWAY_OPTIONS_USAGE}
  --case NAME          run only this case (repeatable; see the names in the output)
  --keep-temp          keep the temp dir (state, gateway log)
  --verbose            print what was sent and received for passing cases too`;

// ---------------------------------------------------------------------------------------
// The expectations: fixtures/openclaw-2026.9.6/handshake-errors.txt, verbatim, as captured
// from the real 2026.9.6 gateway. Line forms:
//   <case> => <error object, or {"ok":true} for a successful handshake>
//   <case> after => <error object answering the frame sent after the handshake>
//   <case> close <code> <reason>      (1005 = the server did not close; the client did)
// A case with no "=>" line got no answer; an "after:" case with no "after =>" line got no
// answer to its frame.

const FIXTURE = readFileSync(new URL("../../fixtures/openclaw-2026.9.6/handshake-errors.txt", import.meta.url), "utf8");

function parseFixture(text) {
  const cases = new Map();
  const entry = (name) => {
    if (!cases.has(name)) cases.set(name, { name, answer: undefined, afterAnswer: undefined, close: undefined });
    return cases.get(name);
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let match;
    if ((match = /^(\S+) after => (.*)$/.exec(line))) entry(match[1]).afterAnswer = JSON.parse(match[2]);
    else if ((match = /^(\S+) => (.*)$/.exec(line))) entry(match[1]).answer = JSON.parse(match[2]);
    else if ((match = /^(\S+) close (\d+) ?(.*)$/.exec(line))) entry(match[1]).close = { code: Number(match[2]), reason: match[3] };
    else throw new Error(`cannot parse fixture line: ${line}`);
  }
  return [...cases.values()];
}

// ---------------------------------------------------------------------------------------
// How each case is produced. Handshake cases get ({ token, nonce }) and return the first
// frame to send after connect.challenge; "after:" cases connect first as `cli`/`cli` with
// the right token (operator.read, or operator.admin when `admin`) and then send frame().

const ANSWER_TIMEOUT_MS = 10_000; // a wrong token is answered late on purpose (≈0.3 s+)
const CLOSE_TIMEOUT_MS = 5_000;
const CLIENT_CLOSED = 1005; // in the fixture: the server never closed, the capture client did

/** Connect params like the real CLI's (NOTES.md §3), with overrides. */
function connectParams({ token, client = {}, scopes = ["operator.read"], ...rest }) {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "cli", version: CLIENT_VERSION, platform: "linux", deviceFamily: "Linux", mode: "cli", instanceId: randomUUID(), ...client },
    caps: [],
    ...(token === undefined ? {} : { auth: { token } }),
    role: "operator",
    scopes,
    ...rest,
  };
}

/** A device-signed TUI connect (the device cases): openclaw-tui / ui, operator.admin, right token. */
function deviceParams({ token, nonce, sign: signOptions = {} }) {
  const params = connectParams({ token, client: { id: "openclaw-tui", mode: "ui" }, scopes: ["operator.admin"] });
  params.device = signDevice(newIdentity(), params, { nonce, ...signOptions });
  return params;
}

const connectFrame = (params) => ({ type: "req", id: `connect-${randomUUID()}`, method: "connect", params });
const NOT_JSON = "this is not json {";

const HOW = {
  protocol5: ({ token }) => connectFrame(connectParams({ token, minProtocol: 5, maxProtocol: 5 })),
  "unknown-client-id": ({ token }) => connectFrame(connectParams({ token, client: { id: "no-such-client" } })),
  "extra-field": ({ token }) => connectFrame({ ...connectParams({ token }), foo: 1 }),
  // A valid v3 signature with one byte flipped.
  "bad-signature": ({ token, nonce }) => connectFrame(deviceParams({ token, nonce, sign: { corrupt: true } })),
  // Signed correctly, but over (and carrying) a nonce this socket was never given.
  "wrong-nonce": ({ token }) => connectFrame(deviceParams({ token, nonce: randomUUID() })),
  // A valid v2 signature (no platform/deviceFamily) is still accepted; a local device pairs silently.
  "v2-signature": ({ token, nonce }) => connectFrame(deviceParams({ token, nonce, sign: { version: "v2" } })),
  // A first req that is a connect, but whose params are not an object.
  "non-connect-first": () => ({ type: "req", id: `connect-${randomUUID()}`, method: "connect", params: "not-an-object" }),
  "wrong-token": ({ token }) => connectFrame(connectParams({ token: `${token}-wrong` })),
  "no-auth-no-device": () => connectFrame(connectParams({ token: undefined })),
  "non-json-first": () => NOT_JSON,
  "method-not-connect-first": () => ({ type: "req", id: `health-${randomUUID()}`, method: "health", params: {} }),
  // A well-formed id (sha256 of some other key, and signed over) that is not this key's hash.
  "device-id-mismatch": ({ token, nonce }) => connectFrame(deviceParams({ token, nonce, sign: { deviceId: newIdentity().id } })),
  "stale-signedAt": ({ token, nonce }) => connectFrame(deviceParams({ token, nonce, sign: { signedAt: Date.now() - 10 * 60_000 } })),

  "after:unknown-method": { frame: () => ({ type: "req", id: "after-1", method: "no.such.method", params: {} }) },
  "after:invalid-params": { frame: () => ({ type: "req", id: "after-1", method: "logs.tail", params: { limit: "x" } }) },
  "after:second-connect": { frame: ({ token }) => ({ type: "req", id: "after-1", method: "connect", params: connectParams({ token }) }) },
  // An admin-only method from an operator.read connection.
  "after:missing-scope": { frame: () => ({ type: "req", id: "after-1", method: "set-heartbeats", params: { enabled: false } }) },
  "after:unknown-method-admin": { admin: true, frame: () => ({ type: "req", id: "after-1", method: "no.such.method", params: {} }) },
  "after:second-connect-admin": {
    admin: true,
    frame: ({ token }) => ({ type: "req", id: "after-1", method: "connect", params: connectParams({ token, scopes: ["operator.admin"] }) }),
  },
  "after:bad-frame-type": { frame: () => ({ type: "request", id: "after-1" }) },
  "after:non-json": { frame: () => NOT_JSON },
};

// ---------------------------------------------------------------------------------------
// Checking.

const show = (value) => JSON.stringify(value);

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}

/**
 * Differences between an error and the fixture's. code, details.code and message are
 * reported one by one; when those agree, any other difference (other details fields,
 * retryable, …) is reported as a whole.
 */
function compareError(expected, error) {
  if (!error || typeof error !== "object") return [`expected error ${show(expected)}, got ${show(error)}`];
  const problems = [];
  if (error.code !== expected.code) problems.push(`error.code: expected ${show(expected.code)}, got ${show(error.code)}`);
  if (expected.details?.code !== error.details?.code) {
    problems.push(`error.details.code: expected ${show(expected.details?.code)}, got ${show(error.details?.code)}`);
  }
  if (error.message !== expected.message) problems.push(`error.message: expected ${show(expected.message)}, got ${show(error.message)}`);
  if (problems.length === 0 && !deepEqual(expected, error)) problems.push(`error: expected ${show(expected)}, got ${show(error)}`);
  return problems;
}

function compareClose(expected, close) {
  if (!close) return [`expected close ${expected.code} ${show(expected.reason)}, socket still open after ${CLOSE_TIMEOUT_MS} ms`];
  const problems = [];
  if (close.code !== expected.code) problems.push(`close code: expected ${expected.code}, got ${close.code}`);
  if (close.reason !== expected.reason) problems.push(`close reason: expected ${show(expected.reason)}, got ${show(close.reason)}`);
  return problems;
}

const closedText = (close) => `closed ${close.code} ${show(close.reason)}`;

async function openWithChallenge(url, redact) {
  const connection = await Connection.open(url, redact);
  const challenge = await connection.next((f) => f.type === "event" && f.event === "connect.challenge", ANSWER_TIMEOUT_MS);
  const nonce = challenge?.payload?.nonce;
  if (typeof nonce !== "string" || nonce === "") {
    await connection.end();
    throw new Error(`no connect.challenge with a nonce (got ${show(challenge)})`);
  }
  return { connection, nonce };
}

async function runHandshakeCase(testCase, { url, token, redact }) {
  const { connection, nonce } = await openWithChallenge(url, redact);
  const problems = [];
  try {
    const frame = testCase.how({ token, nonce });
    connection.send(frame);
    const expected = testCase.answer;
    if (expected === undefined) {
      // No answer at all, just the close.
      problems.push(...compareClose(testCase.close, await connection.waitClose(CLOSE_TIMEOUT_MS)));
      for (const res of connection.untakenResponses()) problems.push(`expected no answer, got ${truncate(show(res), 300)}`);
      return problems;
    }
    const res = await connection.next((f) => f.type === "res" && f.id === frame.id, ANSWER_TIMEOUT_MS);
    if (!res) {
      const close = connection.closeInfo;
      problems.push(close ? `no answer; ${closedText(close)}` : `no answer within ${ANSWER_TIMEOUT_MS} ms`);
      return problems;
    }
    if (expected.ok === true) {
      if (res.ok !== true) problems.push(`expected ok:true (hello-ok), got error ${show(res.error)}`);
      else if (res.payload?.type !== "hello-ok") problems.push(`expected a hello-ok payload, got type ${show(res.payload?.type)}`);
    } else {
      if (res.ok !== false) problems.push(`expected ok:false, got ok:${show(res.ok)}`);
      problems.push(...compareError(expected, res.error));
    }
    if (testCase.close.code === CLIENT_CLOSED) {
      await sleep(100);
      if (connection.closeInfo) problems.push(`${closedText(connection.closeInfo)}; expected the socket to stay open`);
    } else {
      problems.push(...compareClose(testCase.close, await connection.waitClose(CLOSE_TIMEOUT_MS)));
    }
    return problems;
  } finally {
    await connection.end();
    testCase.transcript = connection.log;
  }
}

async function runAfterCase(testCase, { url, token, redact }) {
  const { connection } = await openWithChallenge(url, redact);
  const problems = [];
  try {
    const scopes = [testCase.how.admin ? "operator.admin" : "operator.read"];
    const hello = connectFrame(connectParams({ token, scopes }));
    connection.send(hello);
    const helloRes = await connection.next((f) => f.type === "res" && f.id === hello.id, ANSWER_TIMEOUT_MS);
    if (helloRes?.ok !== true) {
      problems.push(`handshake failed: ${helloRes ? show(helloRes.error) : "no answer"}`);
      return problems;
    }
    connection.send(testCase.how.frame({ token }));
    const expected = testCase.afterAnswer;
    if (expected !== undefined) {
      // Any res but the health probe's (a frame without a usable id is answered with id "invalid").
      const res = await connection.next((f) => f.type === "res" && f.id !== "after-health", ANSWER_TIMEOUT_MS);
      if (!res) {
        const close = connection.closeInfo;
        problems.push(close ? `no answer; ${closedText(close)}` : `no answer within ${ANSWER_TIMEOUT_MS} ms`);
        return problems;
      }
      if (res.ok !== false) problems.push(`expected ok:false, got ok:${show(res.ok)}`);
      problems.push(...compareError(expected, res.error));
    }
    // The connection must stay open (the fixture's close 1005 is the capture client's own
    // close) and keep working; any answer to an ignored frame would show up before this one.
    connection.send({ type: "req", id: "after-health", method: "health", params: {} });
    const health = await connection.next((f) => f.type === "res" && f.id === "after-health", ANSWER_TIMEOUT_MS);
    if (health?.ok !== true) {
      const close = connection.closeInfo;
      if (close) problems.push(`${closedText(close)}; expected the socket to stay open`);
      else problems.push(`follow-up health did not answer ok: ${health ? show(health.error) : "no answer"}`);
    }
    await sleep(100);
    if (connection.closeInfo && health?.ok === true) problems.push(`${closedText(connection.closeInfo)}; expected the socket to stay open`);
    for (const res of connection.untakenResponses()) problems.push(`unexpected answer ${truncate(show(res), 300)}`);
    return problems;
  } finally {
    await connection.end();
    testCase.transcript = connection.log;
  }
}

async function main() {
  return runWithGateway(
    {
      argv: process.argv.slice(2),
      usage: USAGE,
      extraOptions: { case: { type: "string", multiple: true } },
      needsCli: "real-gateway",
    },
    async ({ options, url, token }) => {
      let cases;
      try {
        selfTestSigning();
        cases = parseFixture(FIXTURE).map((entry) => {
          const how = HOW[entry.name];
          if (!how) throw new Error(`fixture case ${entry.name} has no recipe in HOW`);
          if (!entry.close) throw new Error(`fixture case ${entry.name} has no close line`);
          const after = entry.name.startsWith("after:");
          return { ...entry, how, run: after ? runAfterCase : runHandshakeCase };
        });
      } catch (error) {
        console.error(error.message);
        return 2;
      }
      const only = options.extra.case;
      if (only?.length) {
        const unknown = only.filter((name) => !cases.some((c) => c.name === name));
        if (unknown.length) {
          console.error(`unknown case(s): ${unknown.join(", ")}; known: ${cases.map((c) => c.name).join(", ")}`);
          return 2;
        }
        cases = cases.filter((c) => only.includes(c.name));
      }
      // Transcripts show frames; keep a caller's --url token out of the output.
      const redact = (text) => (token ? text.replaceAll(token, "<token>") : text);
      let passed = 0;
      let failed = 0;
      for (const testCase of cases) {
        const started = Date.now();
        let problems;
        try {
          problems = await testCase.run(testCase, { url, token, redact });
        } catch (error) {
          problems = [`error: ${error.message}`];
        }
        if (problems.length) {
          failed += 1;
          console.log(`FAIL ${testCase.name}: ${problems.join("; ")}`);
        } else {
          passed += 1;
          console.log(`PASS ${testCase.name} (${Date.now() - started} ms)`);
        }
        if ((problems.length || options.verbose) && testCase.transcript?.length) {
          console.log(indent(testCase.transcript.join("\n"), 30));
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      return failed === 0 ? 0 : 1;
    },
  );
}

process.exitCode = await main();
