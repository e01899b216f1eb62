/**
 * Domain errors: service verbs throw these; the tRPC middleware maps them to TRPCError once,
 * and the REST handlers to HTTP status codes.
 */
export type DomainErrorCode = "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT" | "FORBIDDEN" | "UNAUTHORIZED";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field at fault, as a dotted path, if there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const badRequest = (message: string, field?: string) => new DomainError("BAD_REQUEST", message, field);
export const conflict = (message: string, field?: string) => new DomainError("CONFLICT", message, field);

export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
};
