import { TYPED_CARD } from '../../test/bank-fixture.ts';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logging.ts';

const CARD = TYPED_CARD;

describe('request log lines', () => {
  it('keep the path without its query, with card, ID and mobile numbers masked', () => {
    const options = loggerOptions() as { serializers: { req: (req: { method: string; url: string; id: string }) => { path: string } } };
    const line = options.serializers.req({ method: 'GET', url: `/api/v1/customers/13800138001/x/${CARD}?q=13800138002`, id: 'r1' });
    expect(line).toEqual({ method: 'GET', path: `/api/v1/customers/138****8001/x/6228…${CARD.slice(-2)}`, id: 'r1' });
  });
});
