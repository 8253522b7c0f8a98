/**
 * What every capability may know about a purpose without depending on the access capability that
 * owns the catalogue: its label, and whether the customer's access history shows an access made
 * for it (no tipping-off). access/purposes.ts's PurposeCatalogue is one such lookup.
 */
import type { Bilingual } from './bilingual.ts';

/** 'show', or 'withhold' for this many days (null: for ever); AML and 协助查询 accesses are withheld. */
export type CustomerHistoryRule = { mode: 'show' } | { mode: 'withhold'; days: number | null };

/** Finds a purpose's label and customer-history rule by its id; undefined for an unknown (retired) purpose. */
export interface PurposeLookup {
  get(purposeId: string): { label: Bilingual; customerHistory: CustomerHistoryRule } | undefined;
}
