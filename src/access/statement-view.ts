/**
 * Shapes a released statement: masked per the request, with running balances, and the descriptor
 * of the visible watermark that screens tile over it (employee, name, time, request).
 */
import type { CustomerTable } from '../store/schema.ts';
import type { SourceAccount, StatementRow } from '../bank/statement-source.ts';
import type { Masker } from './masking.ts';

export interface Watermark { text: string; employeeId: string; displayName: string; time: string; requestId: string }

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
    rows: Array<Omit<StatementRow, 'counterpartyName' | 'counterpartyAccount'> & { counterpartyName: string | null; counterpartyAccount: string | null }>;
  }>;
  unmasked: string[];
  watermark: Watermark;
}

export function shapeStatement(
  requestId: string,
  period: { from: string; to: string },
  customer: CustomerTable,
  accounts: Array<{ account: SourceAccount; openingBalanceCents: number; rows: StatementRow[] }>,
  masker: Masker,
  unmasked: string[],
  watermark: Watermark,
): StatementView {
  return {
    requestId,
    period,
    customer: {
      id: customer.id,
      name: masker.field('customer_name', customer.name),
      idNumber: masker.field('id_number', customer.id_number),
      mobile: masker.field('mobile', customer.mobile),
    },
    accounts: accounts.map(({ account, openingBalanceCents, rows }) => ({
      id: account.id,
      cardNumber: masker.field('card_number', account.cardNumber),
      currency: account.currency,
      openingBalanceCents,
      closingBalanceCents: rows.at(-1)?.balanceCents ?? openingBalanceCents,
      rows: rows.map((r) => ({ ...r, counterpartyName: masker.field('counterparty_name', r.counterpartyName), counterpartyAccount: masker.field('counterparty_account', r.counterpartyAccount) })),
    })),
    unmasked,
    watermark,
  };
}

export function watermarkFor(employeeId: string, displayName: string, requestId: string, now: Date): Watermark {
  const time = now.toISOString();
  return { text: `${displayName} ${employeeId} ${time.slice(0, 16).replace('T', ' ')} ${requestId.slice(3, 11)}`, employeeId, displayName, time, requestId };
}

/** CSV for Excel: UTF-8 with a BOM, one line per row, amounts in yuan. */
export function statementCsv(view: StatementView): string {
  const esc = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const yuan = (c: number) => (c / 100).toFixed(2);
  const lines = [['账户 Account', '卡号 Card', '日期 Date', '摘要 Description', '渠道 Channel', '金额 Amount', '余额 Balance', '对方户名 Counterparty', '对方账号 Counterparty account'].map(esc).join(',')];
  for (const a of view.accounts) {
    for (const r of a.rows) {
      lines.push([a.id, a.cardNumber, r.postedAt, r.description, r.channel, yuan(r.amountCents), yuan(r.balanceCents), r.counterpartyName, r.counterpartyAccount].map(esc).join(','));
    }
  }
  lines.push(esc(`水印 Watermark: ${view.watermark.text}`));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
