// The well-known node commands of the protocol, as TypeScript types. The native apps own
// these shapes and the gateway does not validate them, so they are guidance for handlers, not schemas.

export type LocationAccuracy = "coarse" | "balanced" | "precise";

export interface LocationGetParams {
  readonly timeoutMs?: number;
  readonly maxAgeMs?: number;
  readonly desiredAccuracy?: LocationAccuracy;
}
export interface LocationGetResult {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyMeters: number;
  readonly altitudeMeters?: number;
  readonly speedMps?: number;
  readonly headingDeg?: number;
  /** ISO 8601. */
  readonly timestamp: string;
  readonly isPrecise: boolean;
  readonly source: "gps" | "wifi" | "cell" | "unknown";
}

export interface CameraDevice {
  readonly id: string;
  readonly name: string;
  readonly position: string;
  readonly deviceType: string;
}
export interface CameraSnapParams {
  readonly facing?: "front" | "back";
  readonly maxWidth?: number;
  readonly quality?: number;
  readonly format?: "jpg";
  readonly delayMs?: number;
  readonly deviceId?: string;
}
export interface CameraSnapResult {
  readonly format: "jpg";
  /** Keep it under 5 MB. */
  readonly base64: string;
  readonly width: number;
  readonly height: number;
}

export interface SystemNotifyParams {
  readonly title: string;
  readonly body: string;
  readonly priority?: "passive" | "active" | "timeSensitive";
  readonly delivery?: "system" | "overlay" | "auto";
}

export interface SystemWhichParams {
  readonly bins: readonly string[];
}
export interface SystemWhichResult {
  /** Only the names that were found. */
  readonly bins: Readonly<Record<string, string>>;
}

export interface SystemRunParams {
  /** argv; never run through a shell. */
  readonly command: readonly string[];
  readonly cwd?: string;
  /** Extra environment variables for this run. */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly needsScreenRecording?: boolean;
}
export interface SystemRunResult {
  /** null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly success: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether stdout or stderr hit the output cap. */
  readonly truncated: boolean;
  /** Why the process could not start, when it could not. */
  readonly error?: string;
}

export interface CanvasSnapshotParams {
  readonly format?: "png" | "jpeg";
  readonly maxWidth?: number;
  readonly quality?: number;
}

type Empty = Readonly<Record<string, never>>;

/** Params and payload of each well-known command; handlers of these names are checked against it. */
export interface WellKnownCommands {
  "location.get": { params: LocationGetParams; result: LocationGetResult };
  "camera.list": { params: Empty; result: { readonly devices: readonly CameraDevice[] } };
  "camera.snap": { params: CameraSnapParams; result: CameraSnapResult };
  "system.notify": { params: SystemNotifyParams; result: Empty };
  "system.which": { params: SystemWhichParams; result: SystemWhichResult };
  "system.run": { params: SystemRunParams; result: SystemRunResult };
  "canvas.present": { params: { readonly url?: string; readonly placement?: string; readonly target?: string }; result: Empty };
  "canvas.hide": { params: Empty; result: Empty };
  "canvas.navigate": { params: { readonly url: string }; result: Empty };
  "canvas.eval": { params: { readonly javaScript: string }; result: { readonly result: unknown } };
  "canvas.snapshot": { params: CanvasSnapshotParams; result: { readonly format: "png" | "jpeg"; readonly base64: string } };
  "canvas.a2ui.push": { params: { readonly messages?: readonly unknown[] }; result: Empty };
  "canvas.a2ui.pushJSONL": { params: { readonly jsonl: string }; result: Empty };
  "canvas.a2ui.reset": { params: Empty; result: Empty };
  "device.info": { params: Empty; result: Readonly<Record<string, unknown>> };
  "device.status": { params: Empty; result: Readonly<Record<string, unknown>> };
}
export type WellKnownCommandName = keyof WellKnownCommands;

/** What a handler gets besides its params. */
export interface InvokeContext {
  readonly invokeId: string;
  readonly command: string;
  /** The time the gateway allows this invoke; the handler is abandoned after it. */
  readonly timeoutMs: number;
  readonly idempotencyKey: string | undefined;
  /**
   * Aborted on `node.invoke.cancel`, on the invoke's timeout and when the connection drops;
   * its `reason` is a NodeInvokeCancelledError, NodeInvokeTimeoutError or NodeDisconnectedError.
   * Stop work (kill child processes) when it fires.
   */
  readonly signal: AbortSignal;
  /** Stream a chunk to the operator as `node.invoke.progress` (split at 16 KiB). No-op once the invoke ended. */
  progress(chunk: string): void;
}

/** A command handler. Throw (ideally a NodeCommandError with a code) to answer `ok: false`. */
export type CommandHandler<Params = unknown, Result = unknown> = (params: Params, context: InvokeContext) => Result | Promise<Result>;

/** The handler a command name needs: typed for well-known names, `unknown` params for custom ones. */
export type HandlerFor<Name> = Name extends WellKnownCommandName
  ? CommandHandler<WellKnownCommands[Name]["params"], WellKnownCommands[Name]["result"]>
  : CommandHandler<unknown, unknown>;

/** A handler map whose keys are the commands the node declares. */
export type CommandHandlers<Map> = { readonly [Name in keyof Map]: HandlerFor<Name> };
