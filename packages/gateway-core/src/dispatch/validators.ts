import { Ajv, type ValidateFunction } from "ajv";
import { ConnectParams, METHODS, RequestFrame, formatValidationErrors } from "@openclaw/protocol";

export interface Validator {
  /** Undefined when valid, else the problems in the reference gateway's wording. */
  (value: unknown): string | undefined;
}

function wrap(validate: ValidateFunction): Validator {
  return (value) => (validate(value) ? undefined : formatValidationErrors(validate.errors ?? []));
}

/**
 * Every validator the gateway needs, compiled once at start-up in a loop over the
 * method registry. Nothing is compiled per request.
 */
export class ValidatorSet {
  readonly requestFrame: Validator;
  readonly connectParams: Validator;
  private readonly params = new Map<string, Validator>();

  constructor() {
    const ajv = new Ajv({ allErrors: true, strict: true });
    this.requestFrame = wrap(ajv.compile(RequestFrame));
    this.connectParams = wrap(ajv.compile(ConnectParams));
    for (const [name, descriptor] of Object.entries(METHODS)) this.params.set(name, wrap(ajv.compile(descriptor.params)));
  }

  paramsOf(method: string): Validator | undefined {
    return this.params.get(method);
  }
}
