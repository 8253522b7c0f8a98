/**
 * The database as Kysely sees it. Column conventions, shared by both engines so domain code never
 * branches on the dialect: timestamps are ISO-8601 UTC strings, booleans are 0/1 integers, money is
 * integer cents, ids are text except the audit sequence, and JSON is stored as text.
 */
import type { Generated } from 'kysely';
import type { BankRole, StaffStatus } from '../core/staff.ts';

export type Flag = 0 | 1;

export interface BranchTable { id: string; code: string; name: string; city: string }

export interface EmployeeTable {
  id: string;
  username: string;
  display_name: string;
  /** Stable pseudonym shown to analysts and customers instead of the name (e.g. "柜员-7F3A"). */
  pseudonym: string;
  branch_id: string;
  bank_role: BankRole;
  status: StaffStatus;
  password_hash: string;
  created_at: string;
}

export interface EmployeeRoleTable { employee_id: string; role: string }

export interface CustomerTable {
  id: string;
  name: string;
  id_number: string;
  mobile: string;
  address: string;
  branch_id: string;
  segment: 'retail' | 'private' | 'vip';
  relationship_manager_id: string | null;
  is_public_figure: Flag;
  is_honeytoken: Flag;
  /** Set when the customer is also an employee of the bank. */
  employee_id: string | null;
  created_at: string;
}

export interface CustomerRelationTable { employee_id: string; customer_id: string; relation: string; declared_at: string }

export interface AccountTable {
  id: string;
  customer_id: string;
  card_number: string;
  kind: 'debit' | 'savings' | 'credit';
  currency: string;
  branch_id: string;
  opened_on: string;
}

export interface TransactionTable {
  id: Generated<number>;
  account_id: string;
  posted_at: string;
  amount_cents: number;
  balance_cents: number;
  currency: string;
  description: string;
  channel: string;
  counterparty_name: string | null;
  counterparty_account: string | null;
  category: string;
}

export interface ServiceTicketTable {
  id: string;
  customer_id: string;
  assigned_employee_id: string | null;
  kind: 'counter_visit' | 'call' | 'loan_application' | 'complaint' | 'judicial_assistance' | 'aml_case' | 'audit_engagement';
  status: 'open' | 'closed';
  document_number: string | null;
  opened_at: string;
  closed_at: string | null;
}

export interface StatementRequestTable {
  id: string;
  employee_id: string;
  customer_id: string;
  account_ids: string; // JSON array
  period_from: string;
  period_to: string;
  purpose: string;
  reference: string;
  output: 'view' | 'pdf' | 'csv' | 'print';
  unmask: string; // JSON array of field names
  status: 'allowed' | 'denied' | 'pending_approval' | 'approved' | 'rejected' | 'released';
  decision: string; // JSON: outcome, policy ids, reasons
  break_glass: Flag;
  justification: string | null;
  legal_ack_at: string | null;
  created_at: string;
  expires_at: string | null;
}

export interface ApprovalTable {
  id: string;
  request_id: string;
  approver_id: string;
  verdict: 'approved' | 'rejected';
  comment: string;
  created_at: string;
}

export interface PostReviewTable {
  id: string;
  request_id: string;
  employee_id: string;
  status: 'open' | 'closed';
  created_at: string;
  /** Set when a reviewer closes it (POST /api/v1/post-reviews/:id); null while open. */
  outcome: PostReviewOutcome | null;
  comment: string | null;
  reviewer_id: string | null;
  closed_at: string | null;
}

/** Whether the break-glass use was justified, in the reviewer's judgement. */
export type PostReviewOutcome = 'justified' | 'not_justified';

export interface VerificationCodeTable {
  id: string;
  customer_id: string;
  /** Staff member at the counter, or null for a customer-portal login code. */
  employee_id: string | null;
  code_hash: string;
  attempts: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: 'sms';
  recipient: string;
  body: string;
  created_at: string;
}

export interface FlagTable {
  id: string;
  kind: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  employee_id: string | null;
  customer_id: string | null;
  request_id: string | null;
  created_at: string;
}

export interface ConfigItemTable { kind: string; key: string; body: string; version: number; updated_at: string }

export interface ChangeProposalTable {
  id: string;
  kind: string;
  key: string;
  body: string;
  proposer_id: string;
  status: 'pending' | 'applied' | 'rejected';
  checker_id: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface TrainingRecordTable {
  id: string;
  employee_id: string;
  kind: 'training' | 'attestation';
  completed_on: string;
  valid_until: string;
  recorded_at: string;
}

export interface SessionTable {
  token_hash: string;
  subject_kind: 'staff' | 'customer' | 'api';
  subject_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface LoginThrottleTable { key: string; failures: number; window_start: string; locked_until: string | null }

/** Failures that earn a growing delay (src/identity/login-delays.ts); `locked_at` ends only by a release. */
export interface LoginDelayTable { key: string; failures: number; window_start: string; last_failure_at: string; locked_at: string | null }

/** Requests counted per limited key in a fixed window (src/identity/rate-limit-counts.ts), shared by every node. */
export interface RateLimitCountTable { key: string; window_end: string; hits: number }

/** Refusals counted per principal in a window (src/audit/refusal-tally.ts); `actor` is the entries' actor as JSON. */
/** A reader of the record stream and the seq of the last entry it handled (audit/record-stream.ts). */
export interface RecordConsumerTable { consumer: string; after_seq: number; updated_at: string }

export interface RefusalTallyTable { key: string; tally: string; action: string; actor: string; window_start: string; window_end: string; refusals: number; recorded: number }

export interface AuditEntryTable {
  seq: Generated<number>;
  /** RFC 8785 canonical JSON, kept byte for byte. */
  entry: Buffer;
  salt: Buffer;
  action: string;
  actor_id: string | null;
  customer_id: string | null;
  request_id: string | null;
  created_at: string;
}

/** The opening of one employee commitment in an entry (src/audit/entry-actors.ts); shredded with the entry. */
export interface EntryOpeningTable { seq: number; path: string; employee_id: string; nonce: Buffer }

export interface AccessReportTable {
  id: string;
  customer_id: string;
  audit_seq: number;
  comment: string;
  status: 'open' | 'triaged' | 'closed';
  created_at: string;
}

export interface Database {
  branches: BranchTable;
  employees: EmployeeTable;
  employee_roles: EmployeeRoleTable;
  customers: CustomerTable;
  customer_relations: CustomerRelationTable;
  accounts: AccountTable;
  transactions: TransactionTable;
  service_tickets: ServiceTicketTable;
  statement_requests: StatementRequestTable;
  approvals: ApprovalTable;
  post_reviews: PostReviewTable;
  verification_codes: VerificationCodeTable;
  outbox: OutboxTable;
  flags: FlagTable;
  config_items: ConfigItemTable;
  change_proposals: ChangeProposalTable;
  training_records: TrainingRecordTable;
  sessions: SessionTable;
  login_throttle: LoginThrottleTable;
  login_delays: LoginDelayTable;
  audit_entries: AuditEntryTable;
  entry_openings: EntryOpeningTable;
  access_reports: AccessReportTable;
  refusal_tallies: RefusalTallyTable;
  record_consumers: RecordConsumerTable;
  rate_limit_counts: RateLimitCountTable;
}

/** The verifiable log's integration state: a single row with id 1 (src/audit/log/README.md). */
export interface LogStateTable {
  id: number;
  /** Leaves in the tree; equals the size of the latest signed checkpoint. */
  size: number;
  /** MTH of the tree (RFC 6962 §2.1). */
  root: Buffer;
  /** The tree's right border (compact range): its complete-subtree roots, 32 bytes each, largest first. */
  border: Buffer;
  /** Highest integrated audit seq: every seq at or below it is a leaf or was never committed. */
  last_seq: number;
  updated_at: string;
}

/** Which audit entry is leaf number `log_index`; `shredded_at` once retention deleted the entry and its salt. */
export interface LogLeafTable { log_index: number; seq: number; shredded_at: string | null }

/** A tlog-tiles hash tile at its widest so far (a narrower partial tile is a prefix of it). */
export interface LogTileTable { level: number; n: number; width: number; data: Buffer }

/** A tlog-tiles entry bundle (leaf commitments, never entry contents) at its widest so far. */
export interface LogBundleTable { n: number; width: number; data: Buffer }

export interface LogCheckpointTable {
  id: Generated<number>;
  size: number;
  root: Buffer;
  /** The checkpoint as the log's key(s) signed it. */
  note: string;
  /** What /log/checkpoint serves: the note, or the note with witness cosignatures; null until published. */
  published_note: string | null;
  created_at: string;
}

export interface Database {
  log_state: LogStateTable;
  log_leaves: LogLeafTable;
  log_tiles: LogTileTable;
  log_bundles: LogBundleTable;
  log_checkpoints: LogCheckpointTable;
}

/** Customers who asked for a text message on every access to their statements. */
export interface CustomerAccessNotificationTable { customer_id: string; enabled: Flag; updated_at: string }

export interface Database {
  customer_access_notifications: CustomerAccessNotificationTable;
}
