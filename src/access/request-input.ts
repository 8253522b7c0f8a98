/**
 * Validates a statement request before anything is stored: a bad request is refused whole, with a
 * message that says what to change.
 */
import type { Purpose, UnmaskableField } from './purposes.ts';
import { UNMASKABLE_FIELDS } from './purposes.ts';
import { FlowguardError } from '../errors.ts';
import type { PurposeCatalogue } from './purposes.ts';

export type Output = 'view' | 'pdf' | 'csv' | 'print';

export interface StatementRequestInput {
  customerId: string;
  accountIds?: string[] | undefined;
  period: { from: string; to: string };
  purpose: string;
  reference: string;
  code?: string | undefined;
  output: Output;
  unmask?: string[] | undefined;
  breakGlass?: { justification: string } | undefined;
}

export interface ValidRequest {
  purpose: Purpose;
  /** Inclusive local dates as given, and the half-open UTC-ish bounds used to read rows. */
  from: string;
  to: string;
  periodDays: number;
  unmask: UnmaskableField[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const MIN_JUSTIFICATION = 20;

export function validateRequestInput(input: StatementRequestInput, purposes: PurposeCatalogue, maxPeriodDays: number, now: Date): ValidRequest {
  const purpose = purposes.get(input.purpose);
  if (!purpose) {
    const known = purposes.all().map((p) => p.id).join(', ');
    throw new FlowguardError('unknown_purpose', `Purpose "${input.purpose}" is not in the catalogue; use one of: ${known}.`);
  }
  const { from, to } = input.period;
  if (!DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    throw new FlowguardError('invalid_period', 'Give the period as dates YYYY-MM-DD, e.g. {"from":"2026-08-01","to":"2026-10-31"}.');
  }
  const periodDays = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  if (periodDays < 1) throw new FlowguardError('invalid_period', `The period ends (${to}) before it starts (${from}).`);
  if (periodDays > maxPeriodDays) {
    throw new FlowguardError('invalid_period', `The period spans ${periodDays} days; a request may cover at most ${maxPeriodDays} days (5 years). Split it.`);
  }
  if (Date.parse(from) > now.getTime()) throw new FlowguardError('invalid_period', `The period starts in the future (${from}).`);
  const unmask = [...new Set(input.unmask ?? [])];
  for (const f of unmask) {
    if (!(UNMASKABLE_FIELDS as readonly string[]).includes(f)) {
      throw new FlowguardError('unknown_field', `"${f}" is not a field that can be unmasked; use any of: ${UNMASKABLE_FIELDS.join(', ')}.`);
    }
    if (!(purpose.unlocks as string[]).includes(f)) {
      throw new FlowguardError('unknown_field', `The purpose ${purpose.id} cannot unmask "${f}"; it can unmask: ${purpose.unlocks.join(', ') || 'nothing'}.`);
    }
  }
  if (input.breakGlass && input.breakGlass.justification.trim().length < MIN_JUSTIFICATION) {
    throw new FlowguardError('justification_required', `Break-glass needs a written justification of at least ${MIN_JUSTIFICATION} characters saying why this cannot wait for an approver.`);
  }
  return { purpose, from, to, periodDays, unmask: unmask as UnmaskableField[] };
}
