/**
 * The demo bank's organisation: a head office and up to eight retail branches in four cities.
 * Branch ids equal their codes ("SH01") so logs and policies stay readable.
 */
import type { City } from './names.ts';

export interface DemoBranch {
  id: string;
  code: string;
  name: string;
  city: City;
  /** Only retail branches hold customers; the head office employs security, compliance and audit. */
  retail: boolean;
  /** Relative share of customers among retail branches. */
  weight: number;
  /** Court and police prefixes for judicial assistance requests served on this branch. */
  courts: readonly string[];
  police: string;
}

export const HEAD_OFFICE: DemoBranch = {
  id: 'HQ', code: 'HQ', name: '流水卫士演示银行总行', city: '上海', retail: false, weight: 0, courts: ['沪01'], police: '沪',
};

/** Retail branches in the order they are opened: any count from 2 keeps all four cities early. */
export const RETAIL_BRANCHES: readonly DemoBranch[] = [
  { id: 'SH01', code: 'SH01', name: '上海陆家嘴支行', city: '上海', retail: true, weight: 18, courts: ['沪0115', '沪01'], police: '沪' },
  { id: 'BJ01', code: 'BJ01', name: '北京金融街支行', city: '北京', retail: true, weight: 16, courts: ['京0102', '京02'], police: '京' },
  { id: 'SZ01', code: 'SZ01', name: '深圳福田支行', city: '深圳', retail: true, weight: 12, courts: ['粤0304', '粤03'], police: '深' },
  { id: 'HZ01', code: 'HZ01', name: '杭州西湖支行', city: '杭州', retail: true, weight: 10, courts: ['浙0106', '浙01'], police: '杭' },
  { id: 'SH02', code: 'SH02', name: '上海徐汇支行', city: '上海', retail: true, weight: 12, courts: ['沪0104', '沪01'], police: '沪' },
  { id: 'BJ02', code: 'BJ02', name: '北京中关村支行', city: '北京', retail: true, weight: 12, courts: ['京0108', '京01'], police: '京' },
  { id: 'SZ02', code: 'SZ02', name: '深圳南山支行', city: '深圳', retail: true, weight: 10, courts: ['粤0305', '粤03'], police: '深' },
  { id: 'SH03', code: 'SH03', name: '上海静安支行', city: '上海', retail: true, weight: 10, courts: ['沪0106', '沪02'], police: '沪' },
];

/** The head office and the first `count` retail branches (2–8). */
export function demoBranches(count: number): DemoBranch[] {
  if (!Number.isInteger(count) || count < 2 || count > RETAIL_BRANCHES.length) {
    throw new RangeError(`branches must be an integer from 2 to ${RETAIL_BRANCHES.length}`);
  }
  return [HEAD_OFFICE, ...RETAIL_BRANCHES.slice(0, count)];
}
