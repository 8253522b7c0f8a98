/**
 * Which customer indices are special: the named cast first, then employees who bank with their
 * employer, their relatives (declared in customer_relations, or living at the same address with the
 * same surname and never declared) and honeytokens, scattered among ordinary customers.
 *
 * Honeytokens are chosen by a stream of their own, independent of everything a customer is made
 * of, so a honeytoken is drawn from exactly the same distribution as any ordinary customer.
 */
import type { CustomerSlot } from './customers.ts';
import { NAMED_CUSTOMERS, type Relation } from './demo-accounts.ts';
import { STREAM, createRandom, hash32, type Random } from './prng.ts';
import type { Staff } from './staff.ts';

/** Default share of honeytoken customers: one in five hundred. */
export const DEFAULT_HONEYTOKEN_RATE = 0.002;

/** Shares of employees who are customers, who declared relatives, and who have an undeclared one. */
const EMPLOYEE_CUSTOMER_SHARE = 0.4;
const DECLARED_RELATIVES_SHARE = 0.15;
const UNDECLARED_RELATIVE_SHARE = 0.15;

/** True when ordinary customer `index` is a honeytoken (decided by its own stream). */
export function isHoneytokenIndex(seed: number, index: number, rate: number): boolean {
  return hash32(seed, STREAM.honeytoken, index) / 4294967296 < rate;
}

export interface CustomerPlan {
  slot(index: number): CustomerSlot;
}

/** Plans the special customers of a bank of `customers` customers. */
export function planCustomers(seed: number, staff: Staff, customers: number, honeytokenRate: number, asOfDay: number): CustomerPlan {
  const rng = createRandom(seed, STREAM.plan);
  const special = new Map<number, CustomerSlot>();
  NAMED_CUSTOMERS.forEach((named, i) => special.set(i, { kind: 'named', named }));
  // Specials never take more than a third of the generated customers.
  const room = Math.floor((customers - NAMED_CUSTOMERS.length) / 3);
  const wanted: CustomerSlot[] = [];
  const namedAsCustomers = new Set(NAMED_CUSTOMERS.flatMap((c) => [c.employeeId, c.relativeOf?.employeeId]).filter(Boolean));
  for (const member of staff.members) {
    // The named cast's family is fixed in NAMED_CUSTOMERS.
    if (namedAsCustomers.has(member.id)) continue;
    const age = (asOfDay - member.birthDay) / 365.25;
    const banksHere = !member.named && rng.chance(EMPLOYEE_CUSTOMER_SHARE);
    if (banksHere) wanted.push({ kind: 'employee', member });
    if (rng.chance(DECLARED_RELATIVES_SHARE)) {
      for (let n = rng.int(1, 2); n > 0; n--) wanted.push({ kind: 'relative', member, relation: pickRelation(rng, age), declared: true });
    }
    if (banksHere && rng.chance(UNDECLARED_RELATIVE_SHARE)) {
      // Same surname and address as the employee's own customer record, never declared.
      wanted.push({ kind: 'relative', member, relation: rng.chance(0.6) ? 'sibling' : 'father', declared: false });
    }
  }
  const span = customers - NAMED_CUSTOMERS.length;
  for (const slot of wanted.slice(0, room)) {
    // A free index is found within a few tries (a third at most is taken); tiny banks may skip one.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const index = NAMED_CUSTOMERS.length + Math.floor(rng.next() * span);
      if (!special.has(index) && !isHoneytokenIndex(seed, index, honeytokenRate)) {
        special.set(index, slot);
        break;
      }
    }
  }
  return {
    slot: (index) => special.get(index) ?? { kind: 'ordinary', honeytoken: isHoneytokenIndex(seed, index, honeytokenRate) },
  };
}

function pickRelation(rng: Random, age: number): Relation {
  const r = rng.next();
  if (r < 0.3) return 'spouse';
  if (r < 0.5) return 'father';
  if (r < 0.65) return 'mother';
  if (r < 0.85) return 'sibling';
  // Only employees old enough to have an adult child.
  return age >= 45 ? 'child' : 'sibling';
}
