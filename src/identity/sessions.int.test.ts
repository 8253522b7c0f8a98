import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { createSession, resolveSession, revokeSession } from './sessions.ts';
import { sha256Hex } from './tokens.ts';

const T0 = new Date('2026-11-02T01:00:00.000Z');

describe.each(engines)('sessions on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('store only the SHA-256 of the token, and resolve by the token', async () => {
    const issued = await createSession(store.db, { kind: 'staff', employeeId: 'E-1' }, 8, T0);
    expect(issued.expiresAt).toBe('2026-11-02T09:00:00.000Z');
    expect(issued.csrfToken).not.toBe(issued.token);
    const rows = await store.db.selectFrom('sessions').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(sha256Hex(issued.token));
    expect(JSON.stringify(rows)).not.toContain(issued.token);
    const session = await resolveSession(store.db, issued.token, T0);
    expect(session).toMatchObject({ subject: { kind: 'staff', employeeId: 'E-1' }, csrfToken: issued.csrfToken });
  });

  it('resolve customers as customers', async () => {
    const issued = await createSession(store.db, { kind: 'customer', customerId: 'C-1' }, 8, T0);
    expect((await resolveSession(store.db, issued.token, T0))?.subject).toEqual({ kind: 'customer', customerId: 'C-1' });
  });

  it('end at their expiry', async () => {
    const issued = await createSession(store.db, { kind: 'staff', employeeId: 'E-1' }, 1, T0);
    expect(await resolveSession(store.db, issued.token, new Date(T0.getTime() + 3_599_999))).not.toBeNull();
    expect(await resolveSession(store.db, issued.token, new Date(T0.getTime() + 3_600_000))).toBeNull();
  });

  it('end when revoked', async () => {
    const issued = await createSession(store.db, { kind: 'staff', employeeId: 'E-1' }, 8, T0);
    expect(await revokeSession(store.db, sha256Hex(issued.token))).toBe(true);
    expect(await resolveSession(store.db, issued.token, T0)).toBeNull();
    expect(await revokeSession(store.db, sha256Hex(issued.token))).toBe(false);
  });

  it('do not resolve from unknown or malformed tokens', async () => {
    expect(await resolveSession(store.db, 'x'.repeat(43), T0)).toBeNull();
    expect(await resolveSession(store.db, "' or 1=1 --", T0)).toBeNull();
  });
});
