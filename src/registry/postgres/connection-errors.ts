/**
 * Turns what the driver throws when the server cannot be used (refused,
 * unknown host, timeout, wrong password, missing database, no rights)
 * into one sentence a user can act on. Anything else is left alone: it
 * is a bug or a broken invariant, and its own message says more.
 */

/** The registry server could not be used; the message says why and names the URL (without its password). */
export class RegistryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryUnavailableError";
  }
}

/** SQLSTATE codes that mean "this server, database or account cannot serve the registry". */
const SERVER_REFUSALS: Readonly<Record<string, (detail: string) => string>> = {
  "28P01": () => "authentication failed (check the user and password in SLUICE_REGISTRY)",
  "28000": (detail) => `the server refused the login: ${detail}`,
  "3D000": (detail) => `${detail} (create it first: createdb, or CREATE DATABASE)`,
  "42501": (detail) => `the account lacks a privilege the registry needs: ${detail}`,
  "53300": () => "the server has no free connection slot (too many clients)",
  "57P03": () => "the server is starting up or shutting down; try again in a moment",
};

/**
 * The sentence for a connection-level failure, or undefined when `error`
 * is not one (a query bug, a constraint violation, a broken invariant).
 */
export function connectionProblem(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === "string" ? e.code : firstNestedCode(e.errors);
  const message = typeof e.message === "string" ? e.message : String(error);
  if (code !== undefined) {
    const refusal = SERVER_REFUSALS[code];
    if (refusal) return refusal(message);
    switch (code) {
      case "ECONNREFUSED":
        return "connection refused (is the server running and listening on that host and port?)";
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return "the host name does not resolve";
      case "ETIMEDOUT":
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return "the host cannot be reached";
      case "ECONNRESET":
      case "EPIPE":
        return "the server closed the connection";
      case "ENOENT":
        return "no server socket at that path";
      default:
        break;
    }
  }
  if (/connection timeout|timeout expired/i.test(message)) return "timed out connecting to the server";
  if (/Connection terminated unexpectedly/i.test(message)) return "the server closed the connection";
  // The driver's words when the server wants a password the URL does not carry.
  if (/SASL|client password must be a string/i.test(message)) return "the server asks for a password and SLUICE_REGISTRY carries none";
  if (/does not support SSL/i.test(message)) return "the server does not accept TLS (drop sslmode from SLUICE_REGISTRY, or enable ssl on the server)";
  return undefined;
}

/** Rethrows a connection-level failure as `RegistryUnavailableError` naming `display`; other errors unchanged. */
export function explainConnectionError(error: unknown, display: string): unknown {
  if (error instanceof RegistryUnavailableError) return error;
  const problem = connectionProblem(error);
  return problem === undefined ? error : new RegistryUnavailableError(`cannot use the registry at ${display}: ${problem}`);
}

/** Node reports a refused dual-stack connect as an AggregateError whose parts carry the code. */
function firstNestedCode(errors: unknown): string | undefined {
  if (!Array.isArray(errors)) return undefined;
  for (const inner of errors) {
    const code = (inner as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
