import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAddCheckpointRequest, formatTreeSizeBody, parseAddCheckpointRequest, parseTreeSizeBody } from './witness-protocol.ts';

const c2sp = JSON.parse(readFileSync(new URL('./fixtures/c2sp-examples.json', import.meta.url), 'utf8')) as Record<string, string>;
const body = c2sp.witnessRequestBody!;
const checkpoint = body.slice(body.indexOf('\n\n') + 2);
const hash = Buffer.alloc(32, 1).toString('base64');
const malformed = expect.objectContaining({ code: 'malformed_witness_request' });

describe('the example request of c2sp.org/tlog-witness', () => {
  it('parses into old size, four proof hashes and the checkpoint verbatim', () => {
    const request = parseAddCheckpointRequest(Buffer.from(body));
    expect(request.oldSize).toBe(20852014n);
    expect(request.proof.map((h) => h.toString('base64'))).toEqual(body.split('\n').slice(1, 5));
    expect(request.checkpoint).toBe(checkpoint);
  });

  it('is written back byte for byte', () => {
    expect(formatAddCheckpointRequest(parseAddCheckpointRequest(body))).toBe(body);
  });
});

describe("a log's first submission", () => {
  it('is old 0 with no proof lines', () => {
    const first = formatAddCheckpointRequest({ oldSize: 0, proof: [], checkpoint });
    expect(first).toBe(`old 0\n\n${checkpoint}`);
    expect(parseAddCheckpointRequest(first)).toEqual({ oldSize: 0n, proof: [], checkpoint });
  });
});

describe('malformed requests', () => {
  it.each([
    ['no old line', `${hash}\n\n${checkpoint}`],
    ['a leading zero', `old 05\n\n${checkpoint}`],
    ['a negative size', `old -1\n\n${checkpoint}`],
    ['two spaces', `old  5\n\n${checkpoint}`],
    ['no blank line', `old 5\n${hash}\n`],
    ['no checkpoint', `old 5\n${hash}\n\n`],
    ['a proof line that is not a hash', `old 5\nq6urqw==\n\n${checkpoint}`],
    ['a proof line with spaces', `old 5\n ${hash}\n\n${checkpoint}`],
    ['64 proof lines', `old 5\n${`${hash}\n`.repeat(64)}\n${checkpoint}`],
    ['nothing', ''],
  ])('%s', (_, text) => {
    expect(() => parseAddCheckpointRequest(text)).toThrow(malformed);
  });

  it('63 proof lines are still accepted', () => {
    expect(parseAddCheckpointRequest(`old 5\n${`${hash}\n`.repeat(63)}\n${checkpoint}`).proof).toHaveLength(63);
  });
});

describe('the 409 Conflict body', () => {
  it('is the size and a newline, and reads back', () => {
    expect(formatTreeSizeBody(20852014n)).toBe('20852014\n');
    expect(parseTreeSizeBody('20852014\n')).toBe(20852014n);
    expect(() => parseTreeSizeBody('20852014')).toThrow(malformed);
  });
});
