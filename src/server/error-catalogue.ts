/**
 * Every error code of every capability, and what the API answers when one reaches it. Each
 * capability keeps its own table (core/errors.ts describes the model); this catalogue is the one
 * mapping from all of them to the API's problem+json codes, and the source of docs/errors.md.
 *
 * A library's code that reaches the API uncaught is a fault of the server unless it describes the
 * caller's input: the API then answers `internal` and logs it. The witness answers its own HTTP
 * requests with the statuses of c2sp.org/tlog-witness (its table); inside the API server a witness
 * error is the log's failure to reach a witness, never the caller's.
 */
import { CodedError, type ErrorTable } from '../core/errors.ts';
import { ERRORS, FlowguardError, type ErrorCode } from '../errors.ts';
import { POLICY_ERRORS, type PolicyErrorCode } from '../access/policy/policy-error.ts';
import { TLOG_ERRORS, type TlogErrorCode } from '../audit/tlog/errors.ts';
import { WITNESS_ERRORS, type WitnessErrorCode } from '../audit/witness/errors.ts';
import { LOG_PROBLEMS, type LogProblemCode } from '../audit/log/verify-problems.ts';

/** One capability's table, where it lives, and the API code each of its codes is answered with. */
export interface CatalogueSection<C extends string = string> {
  capability: string;
  /** The file that defines the table. */
  source: string;
  /** How the codes reach people: thrown as errors, or reported as findings. */
  kind: 'error' | 'finding';
  table: ErrorTable<C>;
  /** The API code a client receives; null for a finding, which is printed by the CLI, never answered. */
  answers: Readonly<Record<C, ErrorCode | null>>;
}

function section<C extends string>(s: CatalogueSection<C>): CatalogueSection<C> {
  return s;
}

const ALL_INTERNAL = <C extends string>(table: ErrorTable<C>): Record<C, ErrorCode> =>
  Object.fromEntries(Object.keys(table).map((code) => [code, 'internal'])) as Record<C, ErrorCode>;

const ALL_NULL = <C extends string>(table: ErrorTable<C>): Record<C, null> =>
  Object.fromEntries(Object.keys(table).map((code) => [code, null])) as Record<C, null>;

/** The API's own codes are answered as they are. */
const API_ANSWERS = Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code])) as Record<ErrorCode, ErrorCode>;

const POLICY_ANSWERS: Record<PolicyErrorCode, ErrorCode> = { invalid_policy: 'invalid_policy', schema_violation: 'schema_violation' };

/** The transparency-log library's codes: a value out of range or a malformed tile path is the caller's input. */
const TLOG_ANSWERS: Record<TlogErrorCode, ErrorCode> = { ...ALL_INTERNAL(TLOG_ERRORS), invalid_argument: 'invalid_request', malformed_tile_path: 'invalid_request' };

const WITNESS_ANSWERS: Record<WitnessErrorCode, ErrorCode> = ALL_INTERNAL(WITNESS_ERRORS);

const LOG_PROBLEM_ANSWERS: Record<LogProblemCode, null> = ALL_NULL(LOG_PROBLEMS);

/** Every table, the API's first. */
export const ERROR_CATALOGUE: readonly CatalogueSection[] = [
  section({ capability: 'API', source: 'src/errors.ts', kind: 'error', table: ERRORS, answers: API_ANSWERS }),
  section({ capability: 'Policy engine', source: 'src/access/policy/policy-error.ts', kind: 'error', table: POLICY_ERRORS, answers: POLICY_ANSWERS }),
  section({ capability: 'Transparency log library', source: 'src/audit/tlog/errors.ts', kind: 'error', table: TLOG_ERRORS, answers: TLOG_ANSWERS }),
  section({ capability: 'Witness', source: 'src/audit/witness/errors.ts', kind: 'error', table: WITNESS_ERRORS, answers: WITNESS_ANSWERS }),
  section({ capability: 'Log verification (audit verify)', source: 'src/audit/log/verify-problems.ts', kind: 'finding', table: LOG_PROBLEMS, answers: LOG_PROBLEM_ANSWERS }),
];

/** The message a client reads when the API answers `internal`: nothing of the cause leaves the server. */
export const INTERNAL_MESSAGE = 'Something went wrong on our side; the incident was logged. Try again, or contact the Flowguard administrators.';

/**
 * The API error a capability's error is answered with: its own code where the API has one for it,
 * `internal` (with the cause kept for the log) otherwise.
 */
export function apiErrorOf(error: CodedError): FlowguardError {
  if (error instanceof FlowguardError) return error;
  const found = ERROR_CATALOGUE.find((s) => s.table === error.table);
  const code = found?.answers[error.code] ?? 'internal';
  if (code === 'internal') return new FlowguardError('internal', INTERNAL_MESSAGE, {}, { cause: error });
  const apiError = new FlowguardError(code, `${ERRORS[code].title}: ${error.message}`, {}, { cause: error });
  apiError.recorded = error.recorded;
  return apiError;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** docs/errors.md: every code of every table, with its status, title, description and API answer. */
export function errorsMarkdown(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from the error tables by src/server/error-catalogue.ts (errorsMarkdown); src/server/error-catalogue.test.ts',
    '     fails when this file differs. Regenerate: FLOWGUARD_WRITE_DOCS=1 npx vitest run src/server/error-catalogue.test.ts -->',
    '',
    'Every error Flowguard raises on purpose carries a code from one capability\'s table. The API answers',
    'with RFC 9457 problem+json whose `code` is one of the API codes, and whose `type` is',
    '`https://flowguard.dev/problems/` followed by the code with `-` for `_`. A code, once published,',
    'keeps its meaning: codes are retired, never reused.',
  ];
  for (const s of ERROR_CATALOGUE) {
    lines.push('', `## ${s.capability}`, '', `Defined in \`${s.source}\`.`, '');
    lines.push(s.kind === 'finding' ? '| code | title | what it means |' : '| code | status | title | what it means | API answer |');
    lines.push(s.kind === 'finding' ? '|---|---|---|' : '|---|---|---|---|---|');
    for (const [code, spec] of Object.entries(s.table)) {
      if (s.kind === 'finding') {
        lines.push(`| \`${code}\` | ${cell(spec.title)} | ${cell(spec.description)} |`);
        continue;
      }
      const answer = s.answers[code];
      lines.push(`| \`${code}\` | ${spec.status ?? '—'} | ${cell(spec.title)} | ${cell(spec.description)} | ${answer ? `\`${answer}\` (${ERRORS[answer].status})` : '—'} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
