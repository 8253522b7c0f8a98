/**
 * The demo bank for `npm start`: seeded into an empty database on first start, with demo-only
 * accounts printed so a new user can follow the README tour.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { Store } from '../store/database.ts';
import { hashPassword } from '../identity/passwords.ts';
import { DEMO, DEMO_TOUR_MOBILE, NAMED_EMPLOYEES, isSeeded, seedDemoBank, type SeedProgress } from '../bank/index.ts';

/** DEMO ONLY — never use in a real deployment. Overridable with FLOWGUARD_DEMO_PASSWORD. */
export const DEFAULT_DEMO_PASSWORD = 'demo-only-flowguard';

export function demoPassword(): string {
  return process.env.FLOWGUARD_DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
}

export async function seedWithProgress(store: Store, opts: { seed: number; customers: number; days: number; quiet?: boolean }) {
  const passwordHash = await hashPassword(demoPassword());
  const bar = process.stderr.isTTY && !opts.quiet ? new SingleBar({ format: 'seeding demo bank |{bar}| {percentage}% {value}/{total} customers, {rows} rows, {eta_formatted} left' }, Presets.shades_classic) : null;
  bar?.start(opts.customers, 0, { rows: 0 });
  let lastLine = 0;
  const onProgress = (p: SeedProgress) => {
    bar?.update(p.customersDone, { rows: p.totalRows });
    if (!bar && !opts.quiet && p.elapsedMs - lastLine > 10_000) {
      lastLine = p.elapsedMs;
      process.stderr.write(`seeding: ${p.customersDone}/${p.customersTotal} customers, ${p.totalRows} rows, ${Math.round(p.elapsedMs / 1000)} s\n`);
    }
  };
  try {
    return await seedDemoBank(store, { seed: opts.seed, customers: opts.customers, days: opts.days, passwordHash, onProgress });
  } finally {
    bar?.stop();
  }
}

export async function ensureDemoBank(store: Store): Promise<void> {
  if (await isSeeded(store)) return;
  process.stderr.write('Empty database: seeding the demo bank (200 customers, 365 days)…\n');
  await seedWithProgress(store, { seed: 1, customers: 200, days: 365 });
}

export function printDemoAccounts(address: string): void {
  const line = '='.repeat(78);
  const staff = NAMED_EMPLOYEES.map((e) => `  ${e.username.padEnd(16)} ${e.displayName}  ${e.bankRole}${e.roles.length ? ` + ${e.roles.join(', ')}` : ''} @ ${e.branchId}`).join('\n');
  process.stdout.write(`${line}
Flowguard demo bank at ${address}   (API docs: ${address}/docs)
DEMO ONLY — synthetic customers; these accounts and this password must never exist in production.
Password for every demo account: ${demoPassword()}
${staff}
Tour customer: ${DEMO.customers.retail} 张伟, mobile ${DEMO_TOUR_MOBILE} (open counter-visit ticket assigned to teller.sh01)
${line}
`);
}
