// Errors of the gateway's API as exceptions: every problem+json answer becomes a GridError (or a subclass picked by
// its stable `code`), so callers branch on classes or codes, never on message text.

/**
 * @typedef {object} Problem An RFC 7807 problem+json body as the gateway writes it.
 * @property {string} [type]
 * @property {string} [title]
 * @property {number} [status]
 * @property {string} [detail]
 * @property {string} [code] The stable error code (API.md "Errors").
 * @property {Record<string, string[]>} [errors] Messages per field (validation_failed).
 * @property {string} [field] The field a refusal is about (idempotency_conflict, not_found ...).
 */

/** A refusal or failure of a gateway call. */
export class GridError extends Error {
  /**
   * @param {Problem} problem
   * @param {{retryAfter?: number|null, cause?: unknown}} [extra]
   */
  constructor(problem, extra = {}) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = new.target.name;
    /** HTTP status (0 when no answer arrived). */
    this.status = problem.status ?? 0;
    /** The stable code, e.g. "insufficient_funds". */
    this.code = problem.code ?? codeForStatus(this.status);
    this.title = problem.title ?? "";
    this.detail = problem.detail ?? "";
    this.type = problem.type ?? "";
    /** @type {Record<string, string[]>} */
    this.errors = problem.errors ?? {};
    /** @type {string|undefined} */
    this.field = problem.field;
    /** Seconds to wait before trying again, when the gateway said so (Retry-After). */
    this.retryAfter = extra.retryAfter ?? null;
    /** The whole problem body, extensions included. */
    this.problem = problem;
    /**
     * For a command, the operationId it was sent with (made by the client unless given): after a NetworkError or an
     * UnavailableError, send the command again with exactly this id, or it may be applied twice.
     * @type {string|undefined}
     */
    this.operationId = undefined;
  }

  /** True when sending the same request again (same operationId) may succeed. */
  get retryable() {
    return false;
  }
}

/** 400 validation_failed: `errors` names each bad field. */
export class ValidationError extends GridError {}

/** 401 unauthorized: no credential, or one that does not verify (a SIWE refusal carries `reason`). */
export class UnauthorizedError extends GridError {
  constructor(problem, extra) {
    super(problem, extra);
    /** @type {string|undefined} Why a sign-in was refused (e.g. "siwe_nonce_invalid"). */
    this.reason = problem.reason;
  }
}

/** 403 forbidden: the credential may not do this. */
export class ForbiddenError extends GridError {}

/** 404 not_found. */
export class NotFoundError extends GridError {}

/** 409 idempotency_conflict: the operationId was used with another body; `field` names what differs. */
export class IdempotencyConflictError extends GridError {}

/** 409 for a state that refuses the command (hold_closed, account_frozen, already_exists ...). */
export class ConflictError extends GridError {}

/** 402 insufficient_funds, with what is `available` and what the command `required`. */
export class InsufficientFundsError extends GridError {
  constructor(problem, extra) {
    super(problem, extra);
    /** @type {number|undefined} */
    this.available = problem.available;
    /** @type {number|undefined} */
    this.required = problem.required;
  }
}

/** 413 payload_too_large. */
export class PayloadTooLargeError extends GridError {}

/** 429 rate_limited: wait `retryAfter` seconds. */
export class RateLimitedError extends GridError {
  get retryable() {
    return true;
  }
}

/** 503 unavailable: nothing was acknowledged; send the same operationId again after `retryAfter`. */
export class UnavailableError extends GridError {
  get retryable() {
    return true;
  }
}

/** No answer at all (connection refused or dropped): the request may or may not have been applied, so retry it with the same operationId. */
export class NetworkError extends GridError {
  get retryable() {
    return true;
  }
}

const byCode = {
  validation_failed: ValidationError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  idempotency_conflict: IdempotencyConflictError,
  insufficient_funds: InsufficientFundsError,
  payload_too_large: PayloadTooLargeError,
  rate_limited: RateLimitedError,
  unavailable: UnavailableError,
};

function codeForStatus(status) {
  switch (status) {
    case 400: return "validation_failed";
    case 401: return "unauthorized";
    case 402: return "insufficient_funds";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 413: return "payload_too_large";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    case 0: return "network_error";
    default: return `http_${status}`;
  }
}

/**
 * The exception for a problem body (or a bare status): the class follows `code`, then the status.
 * @param {Problem} problem
 * @param {{retryAfter?: number|null, cause?: unknown}} [extra]
 * @returns {GridError}
 */
export function errorFromProblem(problem, extra) {
  const code = problem.code ?? codeForStatus(problem.status ?? 0);
  const Type = byCode[code] ?? (problem.status === 409 ? ConflictError : GridError);
  return new Type({ ...problem, code }, extra);
}
