/**
 * The Telegram fake's update queue and getUpdates long poll: a poll is held until an update
 * arrives or `timeout` passes; `offset` confirms and drops earlier updates, so an unconfirmed
 * update is delivered again. Controls: a 409 conflict mode (another poller has the token), a
 * wedged mode that never answers, a failing mode that answers every poll with a 5xx, dropping
 * the pending polls, and counters for polls (total, concurrent, open, and when each arrived).
 */
import type { ServerResponse } from "node:http";
import { fail, ok, type TelegramMethod } from "./telegram-fake-answer.js";
import type { TelegramUpdate } from "./telegram-fake-types.js";

interface Poll {
  readonly response: ServerResponse;
  readonly limit: number;
  timer: NodeJS.Timeout | undefined;
}

export function telegramUpdates() {
  const queue: TelegramUpdate[] = [];
  const polls = new Set<Poll>();
  let conflict = false;
  let wedged = false;
  let pollFailure: number | undefined;
  const pollTimes: number[] = [];
  let nextUpdateId = 1000;
  let pollsOpened = 0;
  let maxConcurrent = 0;

  const flush = () => {
    if (wedged) return;
    for (const poll of [...polls]) {
      if (queue.length === 0) return;
      polls.delete(poll);
      if (poll.timer) clearTimeout(poll.timer);
      ok(poll.response, queue.slice(0, poll.limit));
    }
  };

  const getUpdates: TelegramMethod = (params, response) => {
    pollsOpened += 1;
    pollTimes.push(Date.now());
    if (pollFailure !== undefined) return fail(response, pollFailure, pollFailure === 502 ? "Bad Gateway" : "Internal Server Error");
    if (conflict) return fail(response, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    const offset = Number(params["offset"] ?? 0);
    if (offset > 0) while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
    const limit = Number(params["limit"] ?? 100);
    const timeout = Number(params["timeout"] ?? 0);
    if (!wedged && queue.length > 0) return ok(response, queue.slice(0, limit));
    const poll: Poll = { response, limit, timer: undefined };
    polls.add(poll);
    maxConcurrent = Math.max(maxConcurrent, polls.size);
    response.on("close", () => {
      polls.delete(poll);
      if (poll.timer) clearTimeout(poll.timer);
    });
    if (!wedged) {
      poll.timer = setTimeout(() => {
        polls.delete(poll);
        ok(response, []);
      }, timeout * 1000);
    }
  };

  return {
    getUpdates,
    /** Queues an update under the next update id and answers a waiting poll with it. */
    enqueue(body: Omit<TelegramUpdate, "update_id">): TelegramUpdate {
      const update = { update_id: nextUpdateId++, ...body };
      queue.push(update);
      setImmediate(flush);
      return update;
    },
    pending: () => [...queue],
    setConflict(on: boolean) {
      conflict = on;
    },
    setWedged(on: boolean) {
      wedged = on;
      if (!on) flush();
    },
    failPolls(status: number | false) {
      pollFailure = status === false ? undefined : status;
    },
    pollTimes: () => [...pollTimes],
    dropPolls() {
      for (const poll of [...polls]) {
        polls.delete(poll);
        if (poll.timer) clearTimeout(poll.timer);
        poll.response.destroy();
      }
    },
    pollsOpened: () => pollsOpened,
    maxConcurrentPolls: () => maxConcurrent,
    openPolls: () => polls.size,
    /** Clears every poll's timer and forgets the polls (on close). */
    close() {
      for (const poll of polls) if (poll.timer) clearTimeout(poll.timer);
      polls.clear();
    },
  };
}
