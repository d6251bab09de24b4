import type { ClientEventMap, ClientEventName, GatewayClient } from "@openclaw/client";

/** Every `event` a client receives from now on, so a test can wait for one without racing it. */
export interface EventRecorder<E extends ClientEventName> {
  readonly seen: ClientEventMap[E][];
  /** The first matching event, already seen or yet to come. */
  until(predicate: (payload: ClientEventMap[E]) => boolean): Promise<ClientEventMap[E]>;
}

export function recordEvents<E extends ClientEventName>(client: GatewayClient, event: E): EventRecorder<E> {
  const seen: ClientEventMap[E][] = [];
  const waiters: (() => void)[] = [];
  client.on(event, (payload) => {
    seen.push(payload);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    seen,
    async until(predicate) {
      for (;;) {
        const found = seen.find(predicate);
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}
