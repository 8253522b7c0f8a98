import { openStore } from '../store/database.ts';
import { seedWithProgress } from './demo.ts';

export async function seedCommand(opts: { demo: boolean; seed: number; customers: number; days: number; db?: string; json: boolean }): Promise<void> {
  const store = await openStore(opts.db);
  try {
    const report = await seedWithProgress(store, { seed: opts.seed, customers: opts.customers, days: opts.days, quiet: opts.json });
    if (opts.json) process.stdout.write(`${JSON.stringify({ database: store.location, ...report })}\n`);
    else process.stdout.write(`Seeded ${report.totalRows} rows (${opts.customers} customers, ${opts.days} days) into ${store.location} in ${(report.elapsedMs / 1000).toFixed(1)} s.\n`);
  } finally {
    await store.close();
  }
}
