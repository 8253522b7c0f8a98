/**
 * PRC resident identity numbers (公民身份号码), GB 11643-1999:
 *
 *   RRRRRR YYYYMMDD SSS C
 *   ││││││ │        │   └ check character, ISO 7064:1983 MOD 11-2 over the first 17 digits (0–9 or X)
 *   ││││││ │        └ sequence within region and day; its last digit is odd for men, even for women
 *   ││││││ └ date of birth (Gregorian)
 *   └ administrative division code of the place of first registration (GB/T 2260)
 *
 * Generated numbers are synthetic: real-looking, valid under the standard, belonging to nobody we know of.
 */
// The check character is computed in one place: the lower layer that also finds full ID numbers in text.
import { residentIdCheckCharacter } from '../privacy/full-numbers.ts';
import { dayParts } from './calendar.ts';
import type { Random } from './prng.ts';


/** Province-level codes (first two digits) of GB/T 2260, including 71 台湾, 81 香港, 82 澳门. */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Real county-level division codes (GB/T 2260), grouped by the city the demo bank sees most. */
export const REGION_CODES = {
  上海: ['310101', '310104', '310105', '310106', '310107', '310110', '310112', '310115'],
  北京: ['110101', '110102', '110105', '110106', '110108', '110114'],
  深圳: ['440303', '440304', '440305', '440306', '440307'],
  杭州: ['330102', '330105', '330106', '330108', '330110'],
  other: [
    '120101', '130102', '140105', '150102', '210102', '220102', '230103', '320102', '320506', '340104',
    '350203', '360102', '370102', '370202', '410105', '420106', '430104', '440106', '450103', '460105',
    '500103', '510107', '520102', '530102', '540102', '610113', '620102', '630102', '640104', '650102',
    '653101',
  ],
} as const;

/** Divisions of the Xinjiang Uyghur Autonomous Region, for Uyghur names. */
export const XINJIANG_REGION_CODES = ['650102', '650103', '653101', '652801'] as const;

export interface ResidentIdParts {
  region: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  sex: 'male' | 'female';
}

/**
 * Reads a resident id that is valid: 17 digits and a check character, a known province, a real
 * calendar date of birth from 1900 on, a non-zero sequence and the right check character. Returns
 * null for anything else. Only upper-case X is accepted, as the standard writes it.
 */
export function parseResidentId(id: string): ResidentIdParts | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return null;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900) return null;
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (id.slice(14, 17) === '000') return null;
  if (residentIdCheckCharacter(id.slice(0, 17)) !== id[17]) return null;
  return {
    region: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
  };
}

/** True when `id` is a well-formed resident id with a real birth date and the right check character. */
export function isValidResidentId(id: string): boolean {
  return parseResidentId(id) !== null;
}

/** Builds a resident id from its parts; the sequence's last digit is forced to match `sex`. */
export function formatResidentId(region: string, birthDay: number, sequence: number, sex: 'male' | 'female'): string {
  const { year, month, dayOfMonth } = dayParts(birthDay);
  let seq = Math.min(999, Math.max(1, Math.trunc(sequence)));
  if ((seq % 2 === 1) !== (sex === 'male')) seq = seq === 999 ? 998 : seq + 1;
  const first17 = `${region}${year}${String(month).padStart(2, '0')}${String(dayOfMonth).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}

/**
 * A synthetic resident id for someone born on `birthDay` (a day number), registered in `region`.
 * The birth date can be read back with `parseResidentId`.
 */
export function generateResidentId(rng: Random, region: string, birthDay: number, sex: 'male' | 'female'): string {
  return formatResidentId(region, birthDay, rng.int(1, 999), sex);
}

/** Picks a birth registration region: mostly the customer's city, otherwise anywhere in China. */
export function pickRegion(rng: Random, city: keyof typeof REGION_CODES | undefined, localShare = 0.45): string {
  if (city && city !== 'other' && rng.chance(localShare)) return rng.pick(REGION_CODES[city]);
  return rng.pick(rng.chance(0.3) ? BRANCH_CITY_REGIONS : REGION_CODES.other);
}

const BRANCH_CITY_REGIONS: readonly string[] = [...REGION_CODES.上海, ...REGION_CODES.北京, ...REGION_CODES.深圳, ...REGION_CODES.杭州];
