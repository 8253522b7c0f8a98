/**
 * One error model. Every error Flowguard raises on purpose is a {@link CodedError}: a closed code
 * from its capability's table, a message a person can act on, machine-readable details, the cause.
 * Each capability keeps its own table ({@link ErrorTable}): the API's (src/errors.ts), the
 * transparency-log library's, the witness's, the policy engine's, and the findings of log
 * verification. server/error-catalogue.ts maps every code of every table to the problem+json the
 * API answers with, and docs/errors.md lists them all (a test keeps both complete).
 *
 * A code, once published, keeps its meaning for ever: retire a code rather than reuse it.
 */

/** What a code means. */
export interface ErrorSpec {
  /**
   * The HTTP status a server of this capability answers with; null for a code that is never an
   * HTTP answer of its own (a library error, a client-side failure, a verification finding).
   */
  status: number | null;
  /** A short title, the same for every occurrence (RFC 9457 "title"). */
  title: string;
  /** One line: what happened and, where it helps, what to do. */
  description: string;
}

/** A capability's closed set of codes. */
export type ErrorTable<C extends string = string> = Readonly<Record<C, ErrorSpec>>;

/**
 * The one base class of Flowguard's errors. A capability subclasses it once, naming its table;
 * `instanceof CodedError` then recognises every error raised on purpose, whatever its capability.
 *
 * @example
 * export class TlogError extends CodedError<TlogErrorCode> {
 *   override readonly name = 'TlogError';
 *   get table() { return TLOG_ERRORS; }
 * }
 */
export abstract class CodedError<C extends string = string> extends Error {
  /** The capability's table this error's code comes from (a getter: loggers copy own fields, not this). */
  abstract get table(): ErrorTable<C>;
  /** Set once the refusal is in the audit record, so the error handler does not record it twice. */
  recorded = false;

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** What the code means, from the capability's table. */
  get spec(): ErrorSpec {
    return this.table[this.code];
  }

  /** The HTTP status for this error; 500 for a code that is not an HTTP answer of its own. */
  get status(): number {
    return this.spec.status ?? 500;
  }
}

/** Narrows an unknown thrown value to an error raised on purpose, of any capability. */
export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}
