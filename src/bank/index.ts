/**
 * The synthetic demo bank: generators (pure, seeded) and the seeder. The CLI's `flowguard seed`
 * and the test fixtures use this surface; the rest of src/bank is internal.
 */
export { generateDemoBank, demoPeriod, DEMO_BANK_MANIFEST } from './demo-bank.ts';
export type { DemoBankOptions, DemoBankChunk, DemoBankTable, DemoBankManifest } from './demo-bank.ts';
export { seedDemoBank, isSeeded, assertEmptyBank } from './seed.ts';
export type { SeedOptions, SeedProgress, SeedReport } from './seed.ts';
export { DEMO, DEMO_TOUR_MOBILE, NAMED_EMPLOYEES, NAMED_CUSTOMERS, MIN_CUSTOMERS } from './demo-accounts.ts';
export type { Relation, NamedEmployee, NamedCustomer } from './demo-accounts.ts';
export { isValidResidentId, parseResidentId } from './resident-id.ts';
export { isLuhnValid } from './card-number.ts';
export { CHANNELS } from './merchants.ts';
export type { Category, Channel } from './merchants.ts';
