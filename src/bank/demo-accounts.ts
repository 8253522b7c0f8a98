/**
 * The fixed cast of the demo bank: named staff accounts and named customers that exist whatever
 * the seed and size, so the README tour and the tests can rely on them. Everything else is random.
 *
 * DEMO ONLY: these accounts share the password given to the seeder. The seeder records them in the
 * `demo_bank` configuration item so a deployment can tell a demo database from a real one.
 */
import type { AccountKind, Segment } from './transactions.ts';
import type { Sex } from './names.ts';
import type { BankRole, FlowguardRole } from '../core/staff.ts';

/** How an employee is related to a customer (customer_relations.relation). */
export type Relation = 'father' | 'mother' | 'spouse' | 'child' | 'sibling';

export interface NamedEmployee {
  id: string;
  username: string;
  displayName: string;
  sex: Sex;
  birthDate: string;
  branchId: string;
  bankRole: BankRole;
  roles: readonly FlowguardRole[];
  /** Fixed home address when named customers must share it. */
  home?: string;
}

/** The home of teller.sh01, shared by her own customer record and her relatives'. */
const TELLER_SH01_HOME = '上海市徐汇区漕溪北路88弄12号503室';

/** Named staff, in id order. All active, trained and attested. */
export const NAMED_EMPLOYEES: readonly NamedEmployee[] = [
  { id: 'E000001', username: 'teller.sh01', displayName: '李娜', sex: 'female', birthDate: '1992-04-17', branchId: 'SH01', bankRole: 'teller', roles: [], home: TELLER_SH01_HOME },
  { id: 'E000002', username: 'rm.sh01', displayName: '陈志强', sex: 'male', birthDate: '1986-09-03', branchId: 'SH01', bankRole: 'relationship_manager', roles: [] },
  { id: 'E000003', username: 'backoffice.sh01', displayName: '赵敏', sex: 'female', birthDate: '1989-12-21', branchId: 'SH01', bankRole: 'back_office', roles: [] },
  { id: 'E000004', username: 'manager.sh01', displayName: '周建国', sex: 'male', birthDate: '1975-06-30', branchId: 'SH01', bankRole: 'branch_manager', roles: ['approver'] },
  { id: 'E000005', username: 'teller.bj01', displayName: '刘洋', sex: 'male', birthDate: '1995-02-11', branchId: 'BJ01', bankRole: 'teller', roles: [] },
  { id: 'E000006', username: 'analyst', displayName: '孙悦', sex: 'female', birthDate: '1990-08-08', branchId: 'HQ', bankRole: 'back_office', roles: ['security_analyst'] },
  { id: 'E000007', username: 'investigator', displayName: '郭峰', sex: 'male', birthDate: '1983-03-15', branchId: 'HQ', bankRole: 'back_office', roles: ['investigator'] },
  { id: 'E000008', username: 'compliance', displayName: '何静', sex: 'female', birthDate: '1981-11-02', branchId: 'HQ', bankRole: 'back_office', roles: ['compliance_officer'] },
  { id: 'E000009', username: 'auditor', displayName: '林晓东', sex: 'male', birthDate: '1979-05-26', branchId: 'HQ', bankRole: 'back_office', roles: ['auditor'] },
  { id: 'E000010', username: 'admin', displayName: '马骏', sex: 'male', birthDate: '1984-01-19', branchId: 'HQ', bankRole: 'back_office', roles: ['admin'] },
  { id: 'E000011', username: 'admin2', displayName: '高岚', sex: 'female', birthDate: '1987-07-07', branchId: 'HQ', bankRole: 'back_office', roles: ['admin'] },
];

/** 张伟's mobile number in the demo bank: the README tour logs into the portal with it. */
export const DEMO_TOUR_MOBILE = '13800000001';

/** Ids the tour and the tests rely on. */
export const DEMO = {
  branches: {
    /** 上海陆家嘴支行: the branch of most named staff and customers. */
    SH01: 'SH01',
    /** 北京金融街支行: "another branch" for need-to-know tests. */
    BJ01: 'BJ01',
    /** Head office: security, investigation, compliance, audit and administration. */
    HQ: 'HQ',
  },
  employees: {
    /** teller.sh01 (李娜), teller at SH01; also a customer herself (employeeCustomer). */
    tellerSh01: 'E000001',
    /** rm.sh01 (陈志强), relationship manager at SH01 of the VIP and public-figure customers. */
    rmSh01: 'E000002',
    /** backoffice.sh01 (赵敏), back office at SH01; handles the judicial assistance request. */
    backOfficeSh01: 'E000003',
    /** manager.sh01 (周建国), branch manager of SH01 and its approver. */
    managerSh01: 'E000004',
    /** teller.bj01 (刘洋), teller at BJ01: has no business with SH01 customers. */
    tellerBj01: 'E000005',
    /** analyst (孙悦), security analyst at head office. */
    analyst: 'E000006',
    /** investigator (郭峰), investigator at head office; owns the AML case. */
    investigator: 'E000007',
    /** compliance (何静), compliance officer at head office. */
    compliance: 'E000008',
    /** auditor (林晓东), internal auditor at head office; owns the audit engagement. */
    auditor: 'E000009',
    /** admin (马骏), administrator: proposes configuration changes. */
    admin: 'E000010',
    /** admin2 (高岚), the second administrator who approves them (maker-checker). */
    admin2: 'E000011',
  },
  customers: {
    /** 张伟, retail customer of SH01 with an OPEN counter_visit ticket assigned to teller.sh01. */
    retail: 'C0000001',
    /** 欧阳明远, VIP customer of SH01, relationship manager rm.sh01. */
    vip: 'C0000002',
    /** 李娜, teller.sh01's own customer record (customers.employee_id = E000001). */
    employeeCustomer: 'C0000003',
    /** 李国华, teller.sh01's father: declared in customer_relations, same surname and address. */
    relative: 'C0000004',
    /** 王秀英, a honeytoken customer of SH01: looks ordinary, no open ticket; any access is suspect. */
    honeytoken: 'C0000005',
    /** 买买提·艾力, SH01 customer with an OPEN judicial_assistance ticket assigned to backoffice.sh01. */
    judicialAssistance: 'C0000006',
    /** 沈一鸣, a public figure (VIP) of SH01, relationship manager rm.sh01. */
    publicFigure: 'C0000007',
    /** 吴海燕, SH01 customer with an OPEN aml_case ticket assigned to the investigator (no tipping-off). */
    amlSubject: 'C0000008',
    /** 郑凯, SH01 customer with an OPEN audit_engagement ticket assigned to the auditor. */
    auditSample: 'C0000009',
    /** 李强, teller.sh01's brother: same surname and address, NOT declared (detection must find him). */
    undeclaredRelative: 'C0000010',
  },
} as const;

export interface NamedCustomer {
  id: string;
  name: string;
  sex: Sex;
  branchId: string;
  segment: Segment;
  accounts: readonly AccountKind[];
  relationshipManagerId?: string;
  isPublicFigure?: boolean;
  isHoneytoken?: boolean;
  employeeId?: string;
  address?: string;
  /** Birth date when it must fit a relationship (a father older than his daughter). */
  birthDate?: string;
  /** The relation to teller.sh01 and whether it was declared. */
  relativeOf?: { employeeId: string; relation: Relation; declared: boolean };
  /** A fixed mobile number, for the tour's portal login (demo only). */
  mobile?: string;
  /** An open ticket the tour relies on. */
  openTicket?: { kind: 'counter_visit' | 'judicial_assistance' | 'aml_case' | 'audit_engagement'; assignedTo: string };
}

/** The named customers, in id order (customer index 0, 1, …). */
export const NAMED_CUSTOMERS: readonly NamedCustomer[] = [
  { id: DEMO.customers.retail, name: '张伟', sex: 'male', branchId: 'SH01', segment: 'retail', accounts: ['debit', 'savings'], mobile: DEMO_TOUR_MOBILE,
    openTicket: { kind: 'counter_visit', assignedTo: DEMO.employees.tellerSh01 } },
  { id: DEMO.customers.vip, name: '欧阳明远', sex: 'male', branchId: 'SH01', segment: 'vip', accounts: ['debit', 'savings', 'credit'],
    relationshipManagerId: DEMO.employees.rmSh01 },
  { id: DEMO.customers.employeeCustomer, name: '李娜', sex: 'female', branchId: 'SH01', segment: 'retail', accounts: ['debit', 'credit'],
    employeeId: DEMO.employees.tellerSh01, address: TELLER_SH01_HOME, birthDate: '1992-04-17' },
  { id: DEMO.customers.relative, name: '李国华', sex: 'male', branchId: 'SH01', segment: 'retail', accounts: ['debit'],
    address: TELLER_SH01_HOME, birthDate: '1963-10-05', relativeOf: { employeeId: DEMO.employees.tellerSh01, relation: 'father', declared: true } },
  { id: DEMO.customers.honeytoken, name: '王秀英', sex: 'female', branchId: 'SH01', segment: 'retail', accounts: ['debit'], isHoneytoken: true },
  { id: DEMO.customers.judicialAssistance, name: '买买提·艾力', sex: 'male', branchId: 'SH01', segment: 'retail', accounts: ['debit'],
    openTicket: { kind: 'judicial_assistance', assignedTo: DEMO.employees.backOfficeSh01 } },
  { id: DEMO.customers.publicFigure, name: '沈一鸣', sex: 'male', branchId: 'SH01', segment: 'vip', accounts: ['debit', 'savings'],
    relationshipManagerId: DEMO.employees.rmSh01, isPublicFigure: true },
  { id: DEMO.customers.amlSubject, name: '吴海燕', sex: 'female', branchId: 'SH01', segment: 'retail', accounts: ['debit'],
    openTicket: { kind: 'aml_case', assignedTo: DEMO.employees.investigator } },
  { id: DEMO.customers.auditSample, name: '郑凯', sex: 'male', branchId: 'SH01', segment: 'private', accounts: ['debit', 'savings'],
    relationshipManagerId: DEMO.employees.rmSh01, openTicket: { kind: 'audit_engagement', assignedTo: DEMO.employees.auditor } },
  { id: DEMO.customers.undeclaredRelative, name: '李强', sex: 'male', branchId: 'SH01', segment: 'retail', accounts: ['debit'],
    address: TELLER_SH01_HOME, birthDate: '1989-01-23', relativeOf: { employeeId: DEMO.employees.tellerSh01, relation: 'sibling', declared: false } },
];

/** The smallest bank: the named customers alone. */
export const MIN_CUSTOMERS = NAMED_CUSTOMERS.length;
