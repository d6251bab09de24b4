import { Ajv, type ValidateFunction } from "ajv";
import { CancelFrame, ConnectParams, METHODS, RequestFrame, formatValidationErrors } from "@openclaw/protocol";

export interface Validator {
  /** Undefined when valid, else the problems in the reference gateway's wording. */
  (value: unknown): string | undefined;
}

function wrap(validate: ValidateFunction): Validator {
  return (value) => (validate(value) ? undefined : formatValidationErrors(validate.errors ?? []));
}

/** A validator compiled on its first call, then kept. */
function compiledOnFirstUse(compile: () => ValidateFunction): Validator {
  let validate: Validator | undefined;
  return (value) => (validate ??= wrap(compile()))(value);
}

/**
 * Every validator the gateway needs, each compiled the first time it is used and kept: nothing is
 * compiled twice, and never per request. Start-up compiles none. The `connect` schema alone took
 * ~40 ms to compile, so the first connection pays that once instead of every start; a method's params
 * validator is compiled when that method is first called, so no one pays for the ~100 methods a
 * session never calls.
 */
export class ValidatorSet {
  readonly requestFrame: Validator = compiledOnFirstUse(() => this.ajv.compile(RequestFrame));
  readonly cancelFrame: Validator = compiledOnFirstUse(() => this.ajv.compile(CancelFrame));
  readonly connectParams: Validator = compiledOnFirstUse(() => this.ajv.compile(ConnectParams));
  private readonly checkSchemas: boolean;
  private ajvInstance: Ajv | undefined;
  private readonly params = new Map<string, Validator>();

  /**
   * `checkSchemas` also validates each schema against the JSON Schema meta-schema. That costs ~60 ms
   * (Ajv compiles the meta-schema first), so the gateway leaves it to the tests, which compile every
   * schema with it on.
   */
  constructor(options: { checkSchemas?: boolean } = {}) {
    this.checkSchemas = options.checkSchemas ?? false;
  }

  private get ajv(): Ajv {
    return (this.ajvInstance ??= new Ajv({ allErrors: true, strict: true, validateSchema: this.checkSchemas }));
  }

  paramsOf(method: string): Validator | undefined {
    const known = this.params.get(method);
    if (known) return known;
    if (!Object.hasOwn(METHODS, method)) return undefined;
    const validator = wrap(this.ajv.compile(METHODS[method as keyof typeof METHODS].params));
    this.params.set(method, validator);
    return validator;
  }

  /** Compiles every validator now (tests use it to prove each schema compiles in strict mode). */
  compileAll(): number {
    for (const frame of [this.requestFrame, this.cancelFrame, this.connectParams]) frame(undefined);
    for (const name of Object.keys(METHODS)) this.paramsOf(name);
    return this.params.size;
  }
}
