import { openStore } from '../store/database.ts';
import { maskValue, DEFAULT_MASKING } from '../access/masking.ts';

export async function outboxCommand(opts: { to?: string; last: number; db?: string; json: boolean }): Promise<void> {
  const store = await openStore(opts.db);
  try {
    let q = store.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(opts.last);
    if (opts.to) q = q.where('recipient', '=', opts.to);
    const rows = (await q.execute()).reverse();
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows.map((r) => ({ to: r.recipient, body: r.body, at: r.created_at })))}\n`);
      return;
    }
    for (const r of rows) process.stdout.write(`${r.created_at}  ${maskValue(r.recipient, DEFAULT_MASKING.mobile, 'mobile')}  ${r.body}\n`);
    if (rows.length === 0) process.stdout.write('(no messages)\n');
  } finally {
    await store.close();
  }
}
