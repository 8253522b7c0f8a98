/**
 * The CSV rendering of a released statement, made for Excel as a bank's staff open it: UTF-8 with a
 * byte-order mark (without it Excel on Chinese Windows reads GBK and garbles every name), dates and
 * times on the bank's clock (FLOWGUARD_TIME_ZONE; a customer's 23:30 purchase is on that day, not
 * the next in UTC), amounts in yuan with two decimals, lines ending CRLF (RFC 4180).
 */
import { localDateTime } from '../local-time.ts';
import type { StatementView } from './statement-view.ts';

const BOM = '\uFEFF';

/** Yuan with exactly two decimals, from integer cents without passing through a float. */
export function formatYuan(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** RFC 4180 quoting. */
function cell(value: string | null): string {
  const s = value ?? '';
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A text cell from the source (a description, a counterparty's name): one that starts like a formula
 * is kept as text, or a spreadsheet would run it when the file is opened (OWASP "CSV injection").
 */
function textCell(value: string | null): string {
  return cell(value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

export function statementCsv(view: StatementView, timeZone: string): string {
  const header = ['账户 Account', '卡号 Card', `日期 Date (${timeZone})`, `时间 Time (${timeZone})`, '摘要 Description', '渠道 Channel', '币种 Currency', '金额 Amount', '余额 Balance', '对方户名 Counterparty', '对方账号 Counterparty account'];
  const lines = [header.map(cell).join(',')];
  for (const a of view.accounts) {
    for (const r of a.rows) {
      const { date, time } = localDateTime(new Date(r.postedAt), timeZone);
      lines.push([cell(a.id), cell(a.cardNumber), date, time, textCell(r.description), textCell(r.channel), cell(r.currency), formatYuan(r.amountCents), formatYuan(r.balanceCents), textCell(r.counterpartyName), cell(r.counterpartyAccount)].join(','));
    }
  }
  lines.push(cell(`水印 Watermark: ${view.watermark.text}`));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
