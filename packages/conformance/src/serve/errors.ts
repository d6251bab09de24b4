// serve's own errors. A client that does not conform is a failed check, never one of these.
import { ConformanceError } from "../errors.js";

/** serve could not listen where it was told to. */
export class ServeListenError extends ConformanceError {
  constructor(host: string, port: number, cause: Error) {
    super("SERVE_LISTEN_FAILED", `cannot listen on ${host}:${port}: ${cause.message} (is the port free, and is --host an address of this machine?)`, { cause });
  }
}

/** No client opened a socket to serve before the run ended. */
export class NoClientError extends ConformanceError {
  constructor(url: string, why: string) {
    super("NO_CLIENT", `no client connected to ${url} (${why}); point the client at that URL, or raise --timeout-ms`);
  }
}
