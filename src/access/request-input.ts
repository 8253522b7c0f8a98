/**
 * Validates a statement request before anything is stored: a bad request is refused whole, with a
 * message that says what to change.
 */
import type { Purpose, UnmaskableField } from './purposes.ts';
import { UNMASKABLE_FIELDS } from './purposes.ts';
import { FlowguardError } from '../errors.ts';
import type { PurposeCatalogue } from './purposes.ts';
import { readStatementPeriod } from './statement-period.ts';

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

export const MIN_JUSTIFICATION = 20;

/**
 * @param today the bank's local date: a period may reach it, never pass it
 */
export function validateRequestInput(input: StatementRequestInput, purposes: PurposeCatalogue, maxPeriodDays: number, today: string): ValidRequest {
  const purpose = purposes.get(input.purpose);
  if (!purpose) {
    const known = purposes.all().map((p) => p.id).join(', ');
    throw new FlowguardError('unknown_purpose', `Purpose "${input.purpose}" is not in the catalogue; use one of: ${known}.`);
  }
  const period = readStatementPeriod(input.period, today, { days: maxPeriodDays, hint: 'That is the most one request may cover (5 years); split it.' });
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
  return { purpose, from: period.from.text, to: period.to.text, periodDays: period.days, unmask: unmask as UnmaskableField[] };
}
