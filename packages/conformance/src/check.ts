// What a check is, what it may answer, and what it is given to run.

/** MUST checks decide the exit code; SHOULD checks are reported but never fail the run. */
export type CheckLevel = "MUST" | "SHOULD";

/** The answer of one check: the gateway conforms, it does not (and why), or the check could not say (and why). */
export type CheckOutcome = (
  { readonly status: "pass" } | { readonly status: "fail"; readonly detail: string } | { readonly status: "skip"; readonly reason: string }
) &
  OutcomeNotes;

/** What a check saw besides its verdict (e.g. methods it did not call, and why); never decides the result. */
export interface OutcomeNotes {
  readonly notes?: readonly string[];
}

export type CheckStatus = CheckOutcome["status"];

/** The credential the kit connects with: the gateway's shared token or password. */
export type GatewayCredential = { readonly token: string } | { readonly password: string };

/** What every check runs against. */
export interface CheckContext {
  /** The gateway's WebSocket URL, e.g. `ws://127.0.0.1:18789`. */
  readonly url: string;
  readonly credential: GatewayCredential;
  /**
   * How long to wait for one answer or close. A wrong credential is answered late on purpose,
   * so keep this well above a second.
   * @default 10000
   */
  readonly answerTimeoutMs: number;
  /** SHA-256 certificate fingerprint a `wss://` gateway must present (hex, colons optional). @default no pinning */
  readonly tlsFingerprint?: string | undefined;
  /**
   * A credential holding `operator.admin` for the checks that need one (pairing approval and revocation):
   * a device token or the shared token. @default none; those checks skip
   */
  readonly adminToken?: string | undefined;
  /** Checks that change gateway state (and clean up after themselves) may run. @default false */
  readonly allowMutations?: boolean | undefined;
  /** Checks that stop or disturb the gateway (e.g. `shutdown` on stop) may run. @default false */
  readonly allowDisruptive?: boolean | undefined;
}

/** One named conformance check. */
export interface Check {
  /** Stable, dotted id, e.g. `handshake.challenge-first`; `--only` matches its prefix. */
  readonly id: string;
  /** The protocol-spec section the check holds the gateway to, e.g. `2.2`. */
  readonly section: string;
  readonly level: CheckLevel;
  /** One line saying what is expected. */
  readonly title: string;
  /** The role the check speaks for: `operator` checks run by default, `node` checks with `--as node`. @default "operator" */
  readonly role?: "operator" | "node";
  run(context: CheckContext): Promise<CheckOutcome>;
}

/** A check's outcome with the check it belongs to. */
export type CheckResult = Pick<Check, "id" | "section" | "level" | "title"> & CheckOutcome & { readonly durationMs: number };

export const pass = (): CheckOutcome => ({ status: "pass" });
export const fail = (detail: string): CheckOutcome => ({ status: "fail", detail });
export const skip = (reason: string): CheckOutcome => ({ status: "skip", reason });

/** `pass` when there are no problems, else `fail` with all of them. */
export const outcomeOf = (problems: readonly string[]): CheckOutcome => (problems.length === 0 ? pass() : fail(problems.join("; ")));

/** `outcome` with `notes` attached (left off when there are none). */
export const withNotes = (outcome: CheckOutcome, notes: readonly string[]): CheckOutcome => (notes.length === 0 ? outcome : { ...outcome, notes: [...notes] });
