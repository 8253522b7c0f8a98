/**
 * Micro-benchmark of PolicyEngine.decide(): p50/p99 latency and the share spent inside Cedar.
 * Run: node bin/run-ts.mjs bench/decision.ts [iterations]
 * The mix cycles through allow, needs_approval (a honeytoken VIP: the flag differs from the other
 * three), a refusal and Cedar's default deny, so the percentiles cover every path of the engine.
 * Each asks Cedar once; the monitor flags' answers are remembered after the first of each kind.
 * Target (access/policy brief): p99 < 1 ms.
 */
import { performance } from 'node:perf_hooks';
import { loadPolicyEngine, type DecisionFacts } from '../src/access/policy/index.ts';

const iterations = Number(process.argv[2] ?? 20_000);
const warmup = 2_000;

const base: DecisionFacts = {
  employee: { id: 'E1001', bankRole: 'teller', roles: [], branchId: 'BR01', status: 'active', trainingValid: true, attestationValid: true, distinctCustomersToday: 5 },
  customer: { id: 'C2001', branchId: 'BR01', relationshipManagerId: 'E2002', segment: 'retail', isPublicFigure: false, isEmployee: false, isHoneytoken: false },
  relationship: { declaredRelative: false, sameSurnameAndAddress: false, isSelf: false },
  request: { purpose: 'customer_present', referenceValid: true, customerVerified: true, openTicketAssigned: false, output: 'view', unmaskedFields: [], accountCount: 1, periodDays: 90, breakGlass: false },
  context: { localHour: 10, weekday: 3 },
};
const mix: Array<[string, DecisionFacts]> = [
  ['allow', base],
  ['needs_approval', { ...base, customer: { ...base.customer, segment: 'vip', isHoneytoken: true } }],
  ['deny (refusal)', { ...base, employee: { ...base.employee, trainingValid: false } }],
  ['deny (default)', { ...base, employee: { ...base.employee, branchId: 'BR09' }, request: { ...base.request, purpose: 'service_ticket', customerVerified: false } }],
];

const engine = loadPolicyEngine();
for (let i = 0; i < warmup; i++) engine.decide(mix[i % mix.length]![1]);

const byPath = new Map<string, number[]>(mix.map(([name]) => [name, []]));
const all: number[] = [];
let cedarMicros = 0;
for (let i = 0; i < iterations; i++) {
  const [name, facts] = mix[i % mix.length]!;
  const started = performance.now();
  const decision = engine.decide(facts);
  const micros = (performance.now() - started) * 1000;
  all.push(micros);
  byPath.get(name)!.push(micros);
  cedarMicros += decision.cedarMicros;
}

function percentile(sorted: number[], p: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(0);
}
function line(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(16)} p50 ${percentile(sorted, 0.5).padStart(5)} µs   p99 ${percentile(sorted, 0.99).padStart(5)} µs`;
}
const totalMicros = all.reduce((sum, x) => sum + x, 0);
console.log(`decide() × ${iterations} after ${warmup} warm-up; ${engine.policyIds.length} policies; Node ${process.version}`);
console.log(line('all', all));
for (const [name, samples] of byPath) console.log(line(name, samples));
console.log(`mean ${(totalMicros / iterations).toFixed(0)} µs, of which inside Cedar ${(cedarMicros / iterations).toFixed(0)} µs (${((100 * cedarMicros) / totalMicros).toFixed(1)}%)`);
