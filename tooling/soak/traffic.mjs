// The soak's traffic, each kind a loop that runs until the stop signal, paced and bounded:
// chat.send runs on a few sessions (offline provider, and one on the OpenAI-compatible fake),
// DMs into the Telegram fake, clients that connect, ask health and status and leave, a node whose
// command is invoked, and a cron job every minute. Every failure is counted, never thrown.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** Sessions are reset every this many turns, so transcripts stay bounded and the load stationary. */
export const RESET_EVERY = 25;
const CALL_TIMEOUT_MS = 60_000;

export function createCounters() {
  return {
    failures: { total: 0, byKind: {}, samples: [] },
    chat: { ok: 0, byModel: {}, resets: 0 },
    telegram: { expected: [], resets: 0 },
    clients: { cycles: 0, calls: 0 },
    node: { ok: 0, failed: 0 },
  };
}

export function recordFailure(counters, kind, error) {
  counters.failures.total++;
  counters.failures.byKind[kind] = (counters.failures.byKind[kind] ?? 0) + 1;
  if (counters.failures.samples.length < 20) counters.failures.samples.push(`${kind}: ${error?.message ?? error}`);
}

/** `promise`, or a rejection after `ms` (its timer cleared either way). */
async function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `step` until `signal` aborts, pausing `pauseMs` between steps; a thrown step is a failure of `kind`. */
async function repeat(signal, counters, kind, pauseMs, step) {
  while (!signal.aborted) {
    try {
      await step();
    } catch (error) {
      if (!signal.aborted) recordFailure(counters, kind, error);
    }
    await sleep(pauseMs, undefined, { signal }).catch(() => undefined);
  }
}

const replyText = (result) => result?.message?.content?.find?.((part) => part.type === "text")?.text;

/**
 * One session's chat loop on `admin`: send, wait for the final, check it echoes the message;
 * `model` (a `provider/model` ref) is set with sessions.patch, again after each reset.
 */
export async function chatLoop({ admin, signal, counters, sessionKey, model, pauseMs }) {
  const label = model ?? "default";
  const patch = () => (model ? admin.call("sessions.patch", { key: sessionKey, model }) : undefined);
  await patch();
  let turn = 0;
  await repeat(signal, counters, `chat ${label}`, pauseMs, async () => {
    const message = `soak ${sessionKey} ${++turn}`;
    const run = admin.chatSend({ sessionKey, message, idempotencyKey: randomUUID() });
    const result = await within(run.result, CALL_TIMEOUT_MS, `chat.send on ${sessionKey}`);
    if (result.state !== "final") throw new Error(`run ${result.runId} ended ${result.state}: ${result.errorMessage ?? ""}`);
    const text = replyText(result);
    if (text !== `Echo: ${message}`) throw new Error(`reply ${JSON.stringify(text)} to ${JSON.stringify(message)}`);
    counters.chat.ok++;
    counters.chat.byModel[label] = (counters.chat.byModel[label] ?? 0) + 1;
    if (turn % RESET_EVERY === 0) {
      await admin.call("sessions.reset", { key: sessionKey });
      await patch();
      counters.chat.resets++;
    }
  });
}

/** Counts of each text the Telegram fake sent, read incrementally. */
function sentTexts(fake) {
  const counts = new Map();
  let read = 0;
  return (text) => {
    for (; read < fake.sent.length; read++) counts.set(fake.sent[read].text, (counts.get(fake.sent[read].text) ?? 0) + 1);
    return counts.get(text) ?? 0;
  };
}

/**
 * One Telegram user's loop: a DM into the fake, then wait until the gateway's reply has gone out
 * through it before the next. Each expected reply is recorded; loss and duplicates are counted
 * from the fake's record at the end.
 */
export async function telegramLoop({ fake, admin, signal, counters, userId, pauseMs }) {
  const sent = sentTexts(fake);
  const sessionKey = `agent:main:telegram:dm:${userId}`;
  let turn = 0;
  await repeat(signal, counters, "telegram", pauseMs, async () => {
    const text = `soak tg ${userId} ${++turn}`;
    const expected = `Echo: ${text}`;
    counters.telegram.expected.push(expected);
    fake.inject({ chatId: userId, from: { id: userId, first_name: "Soak" }, text });
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    // The fake is in this process: its record is polled, not waited on over the network.
    while (sent(expected) === 0) {
      if (Date.now() > deadline) throw new Error(`no reply to ${JSON.stringify(text)} within ${CALL_TIMEOUT_MS / 1000} s`);
      await sleep(10);
    }
    if (turn % RESET_EVERY === 0) {
      await waitIdle(admin, sessionKey);
      await admin.call("sessions.reset", { key: sessionKey });
      counters.telegram.resets++;
    }
  });
}

/** Until the session has no active run (the reply can go out just before the run ends). */
async function waitIdle(admin, sessionKey) {
  for (let i = 0; i < 500; i++) {
    const { sessions } = await admin.call("sessions.list", {});
    const entry = sessions.find((session) => session.key === sessionKey);
    if (!entry?.activeRunIds?.length) return;
    await sleep(10);
  }
  throw new Error(`${sessionKey} still running after 5 s`);
}

/** A client that connects, calls health and status, and disconnects, over and over. */
export async function reconnectLoop({ connect, signal, counters, pauseMs }) {
  await repeat(signal, counters, "reconnecting client", pauseMs, async () => {
    const client = await connect(["operator.read"]);
    try {
      await within(client.call("health", {}), CALL_TIMEOUT_MS, "health");
      await within(client.call("status", {}), CALL_TIMEOUT_MS, "status");
      counters.clients.calls += 2;
    } finally {
      await client.close();
    }
    counters.clients.cycles++;
  });
}

/**
 * A node built with @openclaw/node-sdk declaring `soak.echo`, paired and approved from `admin`
 * (node.pair.list, node.pair.approve); returns it once it is open with the command approved.
 */
export async function startNode({ nodeSdk, clientNode, admin, url, token }) {
  const identity = clientNode.createNodeIdentity();
  const node = await nodeSdk.createNode({
    url,
    token,
    identity,
    displayName: "soak node",
    platform: "linux",
    commands: { "soak.echo": (params) => ({ echo: params }) },
  });
  await within(node.opened(), CALL_TIMEOUT_MS, "the node's first connection");
  for (let i = 0; i < 500; i++) {
    const { pending } = await admin.call("node.pair.list", {});
    const request = pending.find((entry) => entry.nodeId === identity.id);
    if (request) {
      await admin.call("node.pair.approve", { requestId: request.requestId });
      return node;
    }
    await sleep(10);
  }
  await node.close();
  throw new Error("the node's pairing request never showed in node.pair.list");
}

/** `node.invoke` of the node's `soak.echo`, checked against what was sent. */
export async function nodeInvokeLoop({ admin, nodeId, signal, counters, pauseMs }) {
  let n = 0;
  await repeat(signal, counters, "node.invoke", pauseMs, async () => {
    const params = { n: ++n };
    try {
      const result = await within(
        admin.call("node.invoke", { nodeId, command: "soak.echo", params, idempotencyKey: randomUUID(), timeoutMs: 30_000 }),
        CALL_TIMEOUT_MS,
        "node.invoke",
      );
      const payload = result.payload ?? (result.payloadJSON ? JSON.parse(result.payloadJSON) : undefined);
      if (payload?.echo?.n !== params.n) throw new Error(`node.invoke answered ${JSON.stringify(payload)} to ${JSON.stringify(params)}`);
      counters.node.ok++;
    } catch (error) {
      counters.node.failed++;
      throw error;
    }
  });
}

/** The cron job: an agent turn every minute on an isolated session, delivered nowhere. */
export function addCronJob(admin) {
  return admin.call("cron.add", {
    name: "soak every minute",
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "soak cron tick" },
    delivery: { mode: "none" },
  });
}

/** The job's finished runs, from cron.runs, with how many ended ok. */
export async function cronRuns(admin, jobId) {
  const { entries, total } = await admin.call("cron.runs", { id: jobId, limit: 500 });
  return { runs: total ?? entries.length, okRuns: entries.filter((entry) => entry.status === "ok").length, statuses: entries.map((entry) => entry.status) };
}
