/**
 * The shapes the statement gate and the policy engine share: the facts a decision is made on and
 * the decision that comes back. The Cedar schema (policies/flowguard.cedarschema) mirrors these.
 */
import type { BankRole, StaffStatus } from '../../core/staff.ts';
import type { Bilingual } from '../../core/bilingual.ts';

export type Outcome = 'allow' | 'deny' | 'needs_approval';

export type { Bilingual } from '../../core/bilingual.ts';

export interface DecisionFacts {
  employee: {
    id: string;
    bankRole: BankRole;
    /** Flowguard roles: approver, security_analyst, investigator, compliance_officer, auditor, admin. */
    roles: string[];
    branchId: string;
    status: StaffStatus;
    trainingValid: boolean;
    attestationValid: boolean;
    /** Distinct customers already accessed today, not counting this one. */
    distinctCustomersToday: number;
  };
  customer: {
    id: string;
    branchId: string;
    relationshipManagerId: string | null;
    segment: 'retail' | 'private' | 'vip';
    isPublicFigure: boolean;
    isEmployee: boolean;
    /** Seen only by the monitoring policies; never by the deciding ones. */
    isHoneytoken: boolean;
  };
  relationship: { declaredRelative: boolean; sameSurnameAndAddress: boolean; isSelf: boolean };
  request: {
    /** customer_present | service_ticket | loan_review | complaint | aml_investigation | judicial_request | internal_audit */
    purpose: string;
    /** The reference exists, is open, and belongs to this customer (and employee where the purpose says so). */
    referenceValid: boolean;
    /** The customer_present one-time code was checked. */
    customerVerified: boolean;
    openTicketAssigned: boolean;
    output: 'view' | 'pdf' | 'csv' | 'print';
    unmaskedFields: string[];
    accountCount: number;
    periodDays: number;
    /** The employee declared an emergency: lifts only the approval rules that say so, and is flagged. */
    breakGlass: boolean;
    /** A second person approved this request: the gate re-decides with true. Absent means false. */
    approved?: boolean;
  };
  context: {
    /** 0-23, bank local time. */
    localHour: number;
    /** 1 = Monday .. 7 = Sunday. */
    weekday: number;
  };
}

export interface Decision {
  outcome: Outcome;
  /**
   * The policies that decided, in policy-file order: the permits for allow, the refusing forbids for
   * deny (empty when no permit matched: Cedar's default deny), the approval forbids for needs_approval.
   * For approvers, analysts and the audit log — not for the requester (an ID such as `approval-vip`
   * says why a customer is special).
   */
  policyIds: string[];
  /** Safe to show the requesting employee: never says why a customer is special. */
  requesterReason: Bilingual;
  /** For approvers and analysts: the real reason(s), each prefixed with its policy ID. */
  fullReason: Bilingual;
  /** Silent flags (e.g. 'honeytoken_access'); they never affect the outcome. */
  flags: string[];
  /** Time spent inside Cedar calls for this decision, in microseconds. */
  cedarMicros: number;
}

/** One policy as the engine knows it, for admin and approver screens. */
export interface PolicyInfo {
  id: string;
  action: 'read_statement' | 'monitor';
  effect: 'permit' | 'forbid';
  /** Forbids on read_statement only. */
  outcome?: 'deny' | 'approval';
  /** Permits on monitor only. */
  flag?: string;
  /** Permits on monitor only: low | medium | high | critical. */
  severity?: string;
  reason: Bilingual;
  /** Deciding policies only. */
  requester?: Bilingual;
  /** The policy's Cedar text, annotations included. */
  text: string;
}

/** The texts a policy engine was built from, exactly as read or stored. */
export interface PolicySource { policyText: string; schemaText: string }

export interface PolicyEngine {
  decide(facts: DecisionFacts): Decision;
  /** What this engine enforces: the admin page shows this, so it cannot differ from what is decided. */
  readonly source: PolicySource;
  /** Every policy ID in the set, in file order. */
  readonly policyIds: string[];
  /** Whether the engine can decide now; asking mends an engine whose Cedar instance was replaced. */
  health(): EngineHealth;
}

export type EngineHealth = { ok: true } | { ok: false; reason: string };

/** What loadPolicyEngine returns: a PolicyEngine that can also describe its policies. */
export interface LoadedPolicyEngine extends PolicyEngine {
  /** Every policy with its annotations (reasons, outcome, a flag's severity), for approver and admin screens. */
  readonly policies: readonly PolicyInfo[];
}
