import { Ajv, type ValidateFunction } from "ajv";
import { CancelFrame, ConnectParams, METHODS, RequestFrame, formatValidationErrors } from "@openclaw/protocol";

export interface Validator {
  /** Undefined when valid, else the problems in the reference gateway's wording. */
  (value: unknown): string | undefined;
}

function wrap(validate: ValidateFunction): Validator {
  return (value) => (validate(value) ? undefined : formatValidationErrors(validate.errors ?? []));
}

/**
 * Every validator the gateway needs. The frame and `connect` validators are compiled at start-up;
 * a method's params validator is compiled the first time that method is called and kept, so start-up
 * does not pay for ~100 methods most sessions never call. Nothing is compiled twice.
 */
export class ValidatorSet {
  readonly requestFrame: Validator;
  readonly cancelFrame: Validator;
  readonly connectParams: Validator;
  private readonly ajv: Ajv;
  private readonly params = new Map<string, Validator>();

  /**
   * `checkSchemas` also validates each schema against the JSON Schema meta-schema. That costs ~60 ms
   * of start-up (Ajv compiles the meta-schema first), so the gateway leaves it to the tests, which
   * compile every schema with it on.
   */
  constructor(options: { checkSchemas?: boolean } = {}) {
    this.ajv = new Ajv({ allErrors: true, strict: true, validateSchema: options.checkSchemas ?? false });
    this.requestFrame = wrap(this.ajv.compile(RequestFrame));
    this.cancelFrame = wrap(this.ajv.compile(CancelFrame));
    this.connectParams = wrap(this.ajv.compile(ConnectParams));
  }

  paramsOf(method: string): Validator | undefined {
    const known = this.params.get(method);
    if (known) return known;
    if (!Object.hasOwn(METHODS, method)) return undefined;
    const validator = wrap(this.ajv.compile(METHODS[method as keyof typeof METHODS].params));
    this.params.set(method, validator);
    return validator;
  }

  /** Compiles every method's validator now (tests use it to prove each schema compiles in strict mode). */
  compileAll(): number {
    for (const name of Object.keys(METHODS)) this.paramsOf(name);
    return this.params.size;
  }
}
