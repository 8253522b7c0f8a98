/**
 * The purpose catalogue: why an employee may look at a statement, what proves it (the reference),
 * and what it can unlock. The defaults answer the 中信银行 findings (a recorded reason must be true and
 * checkable); a bank changes them through maker-checker (config_items kind 'purpose').
 */
import type { Bilingual } from './policy/index.ts';
import type { ServiceTicketTable } from '../store/schema.ts';
import type { CustomerHistoryRule } from '../core/purposes.ts';

export type ReferenceKind = 'counter_code' | 'ticket' | 'case_id' | 'document_number' | 'engagement';

export type UnmaskableField = 'customer_name' | 'id_number' | 'mobile' | 'card_number' | 'counterparty_name' | 'counterparty_account';
export const UNMASKABLE_FIELDS: readonly UnmaskableField[] = ['customer_name', 'id_number', 'mobile', 'card_number', 'counterparty_name', 'counterparty_account'];

export interface Purpose {
  id: string;
  label: Bilingual;
  referenceKind: ReferenceKind;
  /** Ticket kinds that can back this purpose (for ticket-like references). */
  ticketKinds: ServiceTicketTable['kind'][];
  /** The ticket must be assigned to the requesting employee. */
  assignedToRequester: boolean;
  /** Fields this purpose may unmask (the policy still decides whether unmasking needs approval). */
  unlocks: UnmaskableField[];
  /**
   * Customer-history rule (no tipping-off): 'show', or 'withhold' for this many days (null: for ever).
   * AML (反洗钱) and 协助查询 accesses are withheld by default.
   */
  customerHistory: CustomerHistoryRule;
}

export const DEFAULT_PURPOSES: readonly Purpose[] = [
  {
    id: 'customer_present',
    label: { zh: '客户临柜办理（短信验证）', en: 'Customer present at the counter (SMS-verified)' },
    referenceKind: 'counter_code',
    ticketKinds: [],
    assignedToRequester: true,
    unlocks: ['customer_name', 'card_number', 'counterparty_name', 'counterparty_account'],
    customerHistory: { mode: 'show' },
  },
  {
    id: 'service_ticket',
    label: { zh: '服务工单', en: 'Service ticket' },
    referenceKind: 'ticket',
    ticketKinds: ['counter_visit', 'call'],
    assignedToRequester: true,
    unlocks: ['counterparty_name'],
    customerHistory: { mode: 'show' },
  },
  {
    id: 'loan_review',
    label: { zh: '贷款审查', en: 'Loan review' },
    referenceKind: 'ticket',
    ticketKinds: ['loan_application'],
    assignedToRequester: true,
    unlocks: ['customer_name', 'counterparty_name'],
    customerHistory: { mode: 'show' },
  },
  {
    id: 'complaint',
    label: { zh: '投诉处理', en: 'Complaint handling' },
    referenceKind: 'ticket',
    ticketKinds: ['complaint'],
    assignedToRequester: true,
    unlocks: ['counterparty_name', 'counterparty_account'],
    customerHistory: { mode: 'show' },
  },
  {
    id: 'aml_investigation',
    label: { zh: '反洗钱调查', en: 'Anti-money-laundering investigation' },
    referenceKind: 'case_id',
    ticketKinds: ['aml_case'],
    assignedToRequester: false,
    unlocks: ['customer_name', 'id_number', 'card_number', 'counterparty_name', 'counterparty_account'],
    customerHistory: { mode: 'withhold', days: null },
  },
  {
    id: 'judicial_request',
    label: { zh: '有权机关协助查询', en: 'Court, procuratorate or police request' },
    referenceKind: 'document_number',
    ticketKinds: ['judicial_assistance'],
    assignedToRequester: false,
    unlocks: ['customer_name', 'id_number', 'mobile', 'card_number', 'counterparty_name', 'counterparty_account'],
    customerHistory: { mode: 'withhold', days: null },
  },
  {
    id: 'internal_audit',
    label: { zh: '内部审计', en: 'Internal audit' },
    referenceKind: 'engagement',
    ticketKinds: ['audit_engagement'],
    assignedToRequester: false,
    unlocks: [],
    customerHistory: { mode: 'show' },
  },
];

export class PurposeCatalogue {
  private readonly byId: Map<string, Purpose>;
  constructor(purposes: readonly Purpose[]) {
    this.byId = new Map(purposes.map((p) => [p.id, p]));
  }
  get(id: string): Purpose | undefined {
    return this.byId.get(id);
  }
  all(): Purpose[] {
    return [...this.byId.values()];
  }
}
