/**
 * The steps of the release pipeline that turn what the source returned into what a reader sees:
 * shape (the statement as the bank holds it), mask (per the request), mark (the watermark; the
 * marking capability adds its marks here).
 */
import type { CustomerTable } from '../../store/schema.ts';
import type { SourceAccount, StatementRow } from '../../bank/statement-source.ts';
import type { Masker } from '../masking.ts';
import type { Watermark } from './watermark.ts';

/** The statement read for one release, unmasked: it never leaves the pipeline. */
export interface ShapedStatement {
  requestId: string;
  period: { from: string; to: string };
  customer: { id: string; name: string; idNumber: string; mobile: string };
  accounts: Array<{ account: SourceAccount; openingBalanceCents: number; rows: StatementRow[] }>;
}

type MaskedRow = Omit<StatementRow, 'counterpartyName' | 'counterpartyAccount'> & { counterpartyName: string | null; counterpartyAccount: string | null };

/** What a reader gets: masked, with running balances, under the watermark. */
export interface StatementView {
  requestId: string;
  period: { from: string; to: string };
  customer: { id: string; name: string | null; idNumber: string | null; mobile: string | null };
  accounts: Array<{
    id: string;
    cardNumber: string | null;
    currency: string;
    openingBalanceCents: number;
    closingBalanceCents: number;
    rows: MaskedRow[];
  }>;
  unmasked: string[];
  watermark: Watermark;
}

export type MaskedStatement = Omit<StatementView, 'watermark'>;

export function shapeStatement(
  requestId: string,
  period: { from: string; to: string },
  customer: Pick<CustomerTable, 'id' | 'name' | 'id_number' | 'mobile'>,
  accounts: ShapedStatement['accounts'],
): ShapedStatement {
  return { requestId, period, customer: { id: customer.id, name: customer.name, idNumber: customer.id_number, mobile: customer.mobile }, accounts };
}

export function maskStatement(statement: ShapedStatement, masker: Masker, unmasked: string[]): MaskedStatement {
  const { customer } = statement;
  return {
    requestId: statement.requestId,
    period: statement.period,
    customer: {
      id: customer.id,
      name: masker.field('customer_name', customer.name),
      idNumber: masker.field('id_number', customer.idNumber),
      mobile: masker.field('mobile', customer.mobile),
    },
    accounts: statement.accounts.map(({ account, openingBalanceCents, rows }) => ({
      id: account.id,
      cardNumber: masker.field('card_number', account.cardNumber),
      currency: account.currency,
      openingBalanceCents,
      closingBalanceCents: rows.at(-1)?.balanceCents ?? openingBalanceCents,
      rows: rows.map((r) => ({ ...r, counterpartyName: masker.field('counterparty_name', r.counterpartyName), counterpartyAccount: masker.field('counterparty_account', r.counterpartyAccount) })),
    })),
    unmasked,
  };
}

/**
 * Marks the masked statement for the reader. Today that is the visible watermark; the marking
 * capability adds what identifies a copy invisibly (per-reader row marks) here, so every output —
 * screen, print, file — carries the same marks.
 */
export function markStatement(statement: MaskedStatement, watermark: Watermark): StatementView {
  return { ...statement, watermark };
}

export function rowCount(view: Pick<StatementView, 'accounts'>): number {
  return view.accounts.reduce((n, a) => n + a.rows.length, 0);
}
