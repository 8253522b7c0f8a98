import { describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore } from './database.ts';

describe.each(engines)('store on $name', (engine) => {
  it('migrates an empty database and reports durable commits', async () => {
    const store = await openStore(await engine.freshUrl());
    try {
      const d = await store.durability();
      if (engine.name === 'sqlite') {
        expect(d.synchronous).toBe('full');
        expect(d.journal_mode).toBe('wal');
      } else {
        expect(d.synchronous_commit).toBe('on');
      }
      const tables = await store.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_entries', 'customers', 'statement_requests']));
    } finally {
      await store.close();
    }
  });

  it('migrating twice is harmless', async () => {
    const url = await engine.freshUrl();
    await (await openStore(url)).close();
    const again = await openStore(url);
    await again.close();
  });

  it('refuses an unknown database URL with a clear message', async () => {
    await expect(openStore('mysql://x')).rejects.toThrow(/use sqlite:<file> or postgres:/);
  });
});
