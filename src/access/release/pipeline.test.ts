/**
 * The release pipeline's order: read → shape → mask → mark → render → record → respond. Nothing
 * rendered leaves without its record, a failed record leaves nothing to send, and an output without
 * a renderer reads nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Masker, DEFAULT_MASKING } from '../masking.ts';
import { FlowguardError } from '../../errors.ts';
import { runRelease, type Release } from './pipeline.ts';
import { shapeStatement, type StatementView } from './statement-view.ts';
import { formatYuan, statementCsv } from './statement-csv.ts';
import { watermarkFor, watermarkTag } from './watermark.ts';
import type { StatementRow } from '../../bank/statement-source.ts';

const NOW = new Date('2026-12-04T14:38:00Z');
const REQUEST = 'SR-0123abcd-0000-4000-8000-000000000000';
const CUSTOMER = { id: 'C0000001', name: '张伟', id_number: '110101199003074514', mobile: '13800000001' };
const ACCOUNT = { id: 'A1', customerId: 'C0000001', cardNumber: '6217000000000000001', kind: 'debit', currency: 'CNY' };

function row(postedAt: string, amountCents: number, balanceCents: number, extra: Partial<StatementRow> = {}): StatementRow {
  return { postedAt, amountCents, balanceCents, currency: 'CNY', description: '消费', channel: 'pos', counterpartyName: '李四', counterpartyAccount: '6222000011112222', category: 'shopping', ...extra };
}

function release(output: string, steps: string[], overrides: Partial<Release<unknown>> = {}): Release<unknown> {
  return {
    output,
    async read() { steps.push('read'); return { rows: [row('2026-12-03T16:30:00.000Z', -1234, 98_766)] }; },
    shape: (read) => { steps.push('shape'); return shapeStatement(REQUEST, { from: '2026-12-01', to: '2026-12-03' }, CUSTOMER, [{ account: ACCOUNT, openingBalanceCents: 100_000, rows: (read as { rows: StatementRow[] }).rows }]); },
    masker: new Masker(DEFAULT_MASKING, new Set()),
    unmasked: [],
    watermark: watermarkFor({ kind: 'staff', employeeId: 'E000001', displayName: '李娜' }, REQUEST, NOW),
    timeZone: 'Asia/Shanghai',
    async record() { steps.push('record'); },
    ...overrides,
  };
}

describe('runRelease', () => {
  it('reads, shapes, renders, then records, for every output it has a renderer for', async () => {
    for (const output of ['view', 'print', 'csv']) {
      const steps: string[] = [];
      const rendered = await runRelease(release(output, steps));
      expect(steps).toEqual(['read', 'shape', 'record']);
      expect(rendered.kind).toBe(output === 'csv' ? 'file' : 'view');
    }
  });

  it('a record that fails leaves nothing to send: the release rejects with its error', async () => {
    for (const output of ['view', 'print', 'csv']) {
      const failure = new Error('disk full');
      await expect(runRelease(release(output, [], { record: () => Promise.reject(failure) }))).rejects.toBe(failure);
    }
  });

  it('the record is written from the masked, marked view, after it is rendered', async () => {
    let recorded: StatementView | undefined;
    let renderedFirst = false;
    const rendered = await runRelease(release('csv', [], { async record(view) { recorded = view; renderedFirst = true; } }));
    expect(renderedFirst).toBe(true);
    expect(recorded?.accounts[0]?.cardNumber).toMatch(/^621700\*+0001$/);
    expect(recorded?.watermark.text).toBe('李娜 E000001 2026-12-04 14:38 0123abcd');
    expect(rendered.kind === 'file' && rendered.body).toContain(recorded!.watermark.text);
  });

  it('PDF has a slot that says it is not available, refused before anything is read', async () => {
    const steps: string[] = [];
    const refused = await runRelease(release('pdf', steps)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FlowguardError);
    expect((refused as FlowguardError).code).toBe('output_not_available');
    expect(steps).toEqual([]);
  });
});

describe('the watermark', () => {
  it('is built in one place: staff name, ID, time and the request tag; a customer their ID and time', () => {
    expect(watermarkFor({ kind: 'staff', employeeId: 'E000001', displayName: '李娜' }, REQUEST, NOW)).toEqual({ text: '李娜 E000001 2026-12-04 14:38 0123abcd', employeeId: 'E000001', displayName: '李娜', time: NOW.toISOString(), requestId: REQUEST });
    expect(watermarkFor({ kind: 'customer', customerId: 'C0000001' }, 'OWN-trace', NOW).text).toBe('C0000001 2026-12-04 14:38');
    expect(watermarkTag(REQUEST)).toBe('0123abcd');
  });
});

describe('the CSV rendering', () => {
  const view = (rows: StatementRow[]): StatementView => ({
    requestId: REQUEST,
    period: { from: '2026-12-01', to: '2026-12-03' },
    customer: { id: 'C0000001', name: '张*', idNumber: null, mobile: null },
    accounts: [{ id: 'A1', cardNumber: '621700*********0001', currency: 'CNY', openingBalanceCents: 0, closingBalanceCents: 0, rows }],
    unmasked: [],
    watermark: watermarkFor({ kind: 'staff', employeeId: 'E000001', displayName: '李娜' }, REQUEST, NOW),
  });

  it('opens as UTF-8 with a BOM, dates and times on the bank clock, amounts with two decimals', () => {
    const csv = statementCsv(view([row('2026-12-03T16:30:05.000Z', -1234, 98_766), row('2026-12-03T01:00:00.000Z', 5, 100_000)]), 'Asia/Shanghai');
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)).toBe(csv);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toContain('日期 Date (Asia/Shanghai)');
    // 16:30 UTC on 3 December is half past midnight on 4 December in Shanghai.
    expect(lines[1]).toBe('A1,621700*********0001,2026-12-04,00:30:05,消费,pos,CNY,-12.34,987.66,李四,6222000011112222');
    expect(lines[2]).toContain(',2026-12-03,09:00:00,');
    expect(lines[2]).toContain(',0.05,1000.00,');
    expect(lines.at(-2)).toBe('水印 Watermark: 李娜 E000001 2026-12-04 14:38 0123abcd');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('keeps a description that looks like a formula as text, and quotes what needs quoting', () => {
    const csv = statementCsv(view([row('2026-12-03T01:00:00.000Z', 100, 100, { description: '=HYPERLINK("http://x")', counterpartyName: 'A, "B"' })]), 'UTC');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"A, ""B"""');
  });

  it('formats any amount in cents exactly', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (cents) => {
      const text = formatYuan(cents);
      expect(text).toMatch(/^-?\d+\.\d{2}$/);
      expect(BigInt(text.replace('.', ''))).toBe(BigInt(cents));
    }));
  });
});
