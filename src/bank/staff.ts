/**
 * The demo bank's employees: the named cast plus tellers, relationship managers, back office and a
 * manager per branch, sized to the branch's customers; their Flowguard roles and their training
 * and confidentiality attestation records (mostly valid, a few expired).
 */
import type { Insertable } from 'kysely';
import type { EmployeeRoleTable, EmployeeTable, TrainingRecordTable } from '../store/schema.ts';
import type { DemoBranch } from './branches.ts';
import { beijingIso, formatDay, parseDay } from './calendar.ts';
import type { BankRole, FlowguardRole, StaffStatus } from '../core/staff.ts';
import { NAMED_EMPLOYEES } from './demo-accounts.ts';
import { generateAddress, generateName, type City, type PersonName } from './names.ts';
import { STREAM, createRandom, hash32, type Random } from './prng.ts';

export interface StaffMember {
  id: string;
  username: string;
  name: PersonName;
  birthDay: number;
  branchId: string;
  city: City;
  bankRole: BankRole;
  roles: readonly FlowguardRole[];
  status: StaffStatus;
  hiredDay: number;
  /** Where the employee lives: their own customer record and some relatives share it. */
  home: string;
  /** Role label and four hex digits (e.g. 柜员-7F3A): what analysts see instead of the name. */
  pseudonym: string;
  /** Named cast members always pass the training gate. */
  named: boolean;
}

export interface Staff {
  members: StaffMember[];
  /** Working (not departed) staff by branch and bank role, for ticket assignment. */
  working: Map<string, Record<BankRole, StaffMember[]>>;
  /** Head-office staff by Flowguard role. */
  headOffice: Record<'investigator' | 'compliance_officer' | 'auditor', StaffMember[]>;
}

/** Customers per teller, relationship manager and back-office clerk a branch is staffed for. */
const CUSTOMERS_PER = { teller: 1_500, relationship_manager: 3_000, back_office: 5_000 } as const;

/** Pseudonym prefixes: what an analyst sees instead of the name (e.g. 柜员-7F3A). */
const PSEUDONYM_LABEL: Readonly<Record<BankRole | FlowguardRole, string>> = {
  teller: '柜员',
  relationship_manager: '客户经理',
  back_office: '后台',
  branch_manager: '行长',
  approver: '行长',
  security_analyst: '安全分析',
  investigator: '调查',
  compliance_officer: '合规',
  auditor: '审计',
  admin: '管理员',
};

const USERNAME_PREFIX: Readonly<Record<BankRole, string>> = {
  teller: 'teller',
  relationship_manager: 'rm',
  back_office: 'backoffice',
  branch_manager: 'manager',
};

/** Plans the staff of a bank with `customers` customers spread over `branches` (head office first). */
export function planStaff(seed: number, branches: readonly DemoBranch[], customers: number, asOfDay: number): Staff {
  const rng = createRandom(seed, STREAM.staff);
  const members: StaffMember[] = [];
  const pseudonyms = new Pseudonyms(seed);
  const cityOf = new Map(branches.map((b) => [b.id, b.city]));
  for (const n of NAMED_EMPLOYEES) {
    const city = cityOf.get(n.branchId) ?? '上海';
    members.push({
      id: n.id, username: n.username, birthDay: parseDay(n.birthDate), branchId: n.branchId, city, bankRole: n.bankRole,
      roles: n.roles, status: 'active', hiredDay: asOfDay - 365 * 3 - rng.int(0, 3650),
      home: n.home ?? generateAddress(createRandom(seed, STREAM.home, members.length), city),
      pseudonym: pseudonyms.next(n.roles[0] ?? n.bankRole, members.length), named: true,
      name: { full: n.displayName, surname: n.displayName.slice(0, 1), sex: n.sex, style: 'han' },
    });
  }
  const retail = branches.filter((b) => b.retail);
  const totalWeight = retail.reduce((s, b) => s + b.weight, 0);
  for (const branch of retail) {
    const share = (customers * branch.weight) / totalWeight;
    const wanted: Record<BankRole, number> = {
      branch_manager: 1,
      teller: Math.max(2, Math.round(share / CUSTOMERS_PER.teller)),
      relationship_manager: Math.max(1, Math.round(share / CUSTOMERS_PER.relationship_manager)),
      back_office: Math.max(1, Math.round(share / CUSTOMERS_PER.back_office)),
    };
    for (const role of ['branch_manager', 'teller', 'relationship_manager', 'back_office'] as const) {
      const have = members.filter((m) => m.branchId === branch.id && m.bankRole === role).length;
      for (let k = have; k < wanted[role]; k++) {
        members.push(generatedMember(seed, rng, pseudonyms, members.length, branch, role, k, asOfDay));
      }
    }
  }
  ensureDepartures(members);
  return { members, working: indexWorking(members), headOffice: indexHeadOffice(members) };
}

function generatedMember(seed: number, rng: Random, pseudonyms: Pseudonyms, index: number, branch: DemoBranch, role: BankRole, k: number, asOfDay: number): StaffMember {
  const sex = rng.chance(role === 'teller' ? 0.7 : 0.5) ? 'female' : 'male';
  const age = rng.int(role === 'branch_manager' ? 35 : 22, 58);
  const birthDay = asOfDay - age * 365 - rng.int(0, 364);
  const hiredDay = Math.max(birthDay + 22 * 365, asOfDay - rng.int(30, 25 * 365));
  // Most staff are active; a few have resigned and are working their notice, a couple have left.
  const s = rng.next();
  const status = s < 0.04 ? 'on_notice' : s < 0.06 ? 'left' : 'active';
  const suffix = role === 'branch_manager' ? '' : `.${String(k + 1).padStart(2, '0')}`;
  return {
    id: `E${String(index + 1).padStart(6, '0')}`,
    username: `${USERNAME_PREFIX[role]}.${branch.code.toLowerCase()}${suffix}`,
    name: generateName(rng, sex),
    birthDay,
    branchId: branch.id,
    city: branch.city,
    bankRole: role,
    roles: role === 'branch_manager' ? ['approver'] : [],
    status,
    hiredDay,
    home: generateAddress(createRandom(seed, STREAM.home, index), branch.city),
    pseudonym: pseudonyms.next(role, index),
    named: false,
  };
}

/**
 * Every bank of a useful size shows someone working their notice and someone who has left (the
 * leaver scenarios need them): if chance produced none, the last generated tellers take the parts.
 * Each branch keeps its first teller (named, or ".01") working.
 */
function ensureDepartures(members: StaffMember[]): void {
  const spare = members.filter((m) => !m.named && m.bankRole === 'teller' && m.status === 'active' && !m.username.endsWith('.01'));
  if (!members.some((m) => m.status === 'left')) {
    const leaver = spare.pop();
    if (leaver) leaver.status = 'left';
  }
  if (!members.some((m) => m.status === 'on_notice')) {
    const resigning = spare.pop();
    if (resigning) resigning.status = 'on_notice';
  }
}

/** Pseudonyms are a role label and four hex digits from the seed and the employee index, unique in the bank. */
class Pseudonyms {
  readonly #used = new Set<string>();
  constructor(readonly seed: number) {}

  next(role: BankRole | FlowguardRole, index: number): string {
    for (let attempt = 0; ; attempt++) {
      const hex = (hash32(this.seed, STREAM.pseudonym, index, attempt) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
      const p = `${PSEUDONYM_LABEL[role]}-${hex}`;
      if (!this.#used.has(p)) {
        this.#used.add(p);
        return p;
      }
    }
  }
}

function indexWorking(members: readonly StaffMember[]): Staff['working'] {
  const out: Staff['working'] = new Map();
  for (const m of members) {
    if (m.status === 'left') continue;
    let byRole = out.get(m.branchId);
    if (!byRole) out.set(m.branchId, (byRole = { teller: [], relationship_manager: [], back_office: [], branch_manager: [] }));
    byRole[m.bankRole].push(m);
  }
  return out;
}

function indexHeadOffice(members: readonly StaffMember[]): Staff['headOffice'] {
  const pick = (role: FlowguardRole) => members.filter((m) => m.roles.includes(role));
  return { investigator: pick('investigator'), compliance_officer: pick('compliance_officer'), auditor: pick('auditor') };
}

/** employees rows; every account gets the same (demo) password hash. */
export function employeeRows(staff: Staff, passwordHash: string): Insertable<EmployeeTable>[] {
  return staff.members.map((m) => ({
    id: m.id,
    username: m.username,
    display_name: m.name.full,
    pseudonym: m.pseudonym,
    branch_id: m.branchId,
    bank_role: m.bankRole,
    status: m.status,
    password_hash: passwordHash,
    created_at: beijingIso(m.hiredDay, 9 * 3600),
  }));
}

export function employeeRoleRows(staff: Staff): Insertable<EmployeeRoleTable>[] {
  return staff.members.flatMap((m) => m.roles.map((role) => ({ employee_id: m.id, role })));
}

/**
 * Both the annual training and the confidentiality attestation last one year. `valid_until` is the
 * last instant of the last valid day, as the training import (src/access/training.ts) writes it.
 */
const VALIDITY_DAYS = 365;

/**
 * Training and attestation records. Each employee has a current record of each kind, valid on
 * `asOfDay` except for about 5 % of generated staff whose latest one has lapsed; some also keep
 * last year's (expired) record, as a real history would.
 */
export function trainingRows(seed: number, staff: Staff, asOfDay: number): Insertable<TrainingRecordTable>[] {
  const rng = createRandom(seed, STREAM.staff, 0x7a1);
  const rows: Insertable<TrainingRecordTable>[] = [];
  for (const m of staff.members) {
    const lapsed = !m.named && rng.chance(0.05);
    for (const kind of ['training', 'attestation'] as const) {
      const completed = lapsed && (kind === 'training' || rng.chance(0.5))
        ? asOfDay - rng.int(VALIDITY_DAYS + 10, VALIDITY_DAYS + 200)
        : asOfDay - rng.int(5, VALIDITY_DAYS - 30);
      const history = rng.chance(0.4) && completed - VALIDITY_DAYS > m.hiredDay ? [completed - VALIDITY_DAYS - rng.int(0, 20)] : [];
      for (const day of [...history, completed]) {
        rows.push({
          id: `TR${String(rows.length + 1).padStart(7, '0')}`,
          employee_id: m.id,
          kind,
          completed_on: formatDay(day),
          valid_until: `${formatDay(day + VALIDITY_DAYS)}T23:59:59.999Z`,
          recorded_at: beijingIso(day, rng.int(9 * 3600, 18 * 3600)),
        });
      }
    }
  }
  return rows;
}
