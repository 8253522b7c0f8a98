/**
 * Tree sizes and leaf indexes. RFC 9162 defines them as uint64, beyond what a JavaScript number holds
 * exactly, so the library computes with bigint and accepts numbers only when they are safe integers.
 */
import { TlogError } from './errors.ts';
import { UINT64_MAX } from './text-codec.ts';

/** A tree size or leaf index as callers may pass it. Results always come back as bigint. */
export type TreeIndex = bigint | number;

/** Converts a size or index to bigint, refusing negatives, fractions, unsafe numbers and > 2^64-1. */
export function toTreeIndex(value: TreeIndex, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TlogError('invalid_argument', `${what} must be a non-negative safe integer or a bigint, got ${value}`);
    }
    return BigInt(value);
  }
  if (value < 0n || value > UINT64_MAX) {
    throw new TlogError('invalid_argument', `${what} must be between 0 and 2^64-1, got ${value}`);
  }
  return value;
}

/** Number of bits needed to write `n` (0 for 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The largest power of two strictly less than `n`, for n ≥ 2: RFC 6962 §2.1's split point k. */
export function splitPoint(n: bigint): bigint {
  return 1n << BigInt(bitLength(n - 1n) - 1);
}

/** The largest power of two less than or equal to `n`, for n ≥ 1. */
export function largestPowerOfTwoIn(n: bigint): bigint {
  return 1n << BigInt(bitLength(n) - 1);
}

