/**
 * The two engine-specific questions of the log integrator (src/audit/log/README.md §Sequencing):
 *
 * 1. Am I the only integrator? PostgreSQL: a transaction-level advisory lock, tried without waiting.
 *    SQLite: the integrator's write transaction already excludes every other writer.
 * 2. Up to which audit seq is the set of committed entries final? A seq is final when no transaction
 *    that could still commit it is running. PostgreSQL hands out `seq` values at insert time and
 *    commits them in any order, and a rolled-back insert leaves a gap forever, so the integrator takes
 *    a fence: it reads the last value the sequence handed out (L), then lists the transactions that
 *    hold a write lock on `audit_entries`. Any transaction holding a seq ≤ L took that lock before its
 *    nextval (the lock is taken when the INSERT is planned) and keeps it until it ends, so once every
 *    listed transaction has ended, each seq ≤ L is committed and visible, or never will be. No clock
 *    and no grace window are involved; a slow writer only delays the fence, it is never skipped.
 *    SQLite serialises writers and assigns seqs inside the writer's lock, so every committed seq is
 *    final as soon as it is visible: the fence is max(seq).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';

/** Whether the caller may integrate now; `false` means another integrator holds the lock. */
export type IntegratorLock = (tx: Transaction<any>) => Promise<boolean>;

/** Tracks the highest seq below which the committed audit entries can no longer change. */
export interface SeqFence {
  /**
   * The highest final seq known now. Waits at most `waitMs` for running writers to end; if they are
   * still running, returns the last bound that was confirmed (possibly lower, never wrong).
   */
  finalSeq(waitMs?: number): Promise<number>;
}

export interface LogSequencing {
  readonly lockIntegrator: IntegratorLock;
  createFence(db: Kysely<any>): SeqFence;
}

/** An arbitrary, fixed advisory-lock key for "the log integrator" ('flog' in ASCII). */
const INTEGRATOR_LOCK_KEY = 0x666c6f67;

const sqliteSequencing: LogSequencing = {
  lockIntegrator: async () => true,
  createFence(db) {
    return {
      async finalSeq() {
        const row = await db.selectFrom('audit_entries').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
        return Number(row?.max ?? 0);
      },
    };
  },
};

const postgresSequencing: LogSequencing = {
  async lockIntegrator(tx) {
    const r = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${INTEGRATOR_LOCK_KEY}) as locked`.execute(tx);
    return r.rows[0]?.locked === true;
  },
  createFence(db) {
    let confirmed = 0;
    let pending: { bound: number; writers: string[] } | null = null;

    const lastIssued = async (): Promise<number> => {
      const r = await sql<{ last: number | null }>`select pg_sequence_last_value(pg_get_serial_sequence('audit_entries', 'seq')::regclass) as last`.execute(db);
      return Number(r.rows[0]?.last ?? 0);
    };
    // Transactions (by virtual transaction id) holding a write lock on audit_entries in this database.
    const writers = async (): Promise<string[]> => {
      const r = await sql<{ vxid: string }>`
        select distinct virtualtransaction as vxid from pg_locks
        where locktype = 'relation'
          and database = (select oid from pg_database where datname = current_database())
          and relation = 'audit_entries'::regclass
          and mode = 'RowExclusiveLock'
          and pid is distinct from pg_backend_pid()`.execute(db);
      return r.rows.map((row) => row.vxid);
    };
    const stillRunning = async (vxids: string[]): Promise<boolean> => {
      if (vxids.length === 0) return false;
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where virtualtransaction = any(${vxids}::text[])`.execute(db);
      return (r.rows[0]?.n ?? 0) > 0;
    };

    return {
      async finalSeq(waitMs = 50) {
        if (pending && !(await stillRunning(pending.writers))) {
          confirmed = Math.max(confirmed, pending.bound);
          pending = null;
        }
        if (!pending) {
          const bound = await lastIssued(); // first the bound, then the writers: see the file comment
          const running = await writers();
          if (running.length === 0) confirmed = Math.max(confirmed, bound);
          else pending = { bound, writers: running };
        }
        for (let waited = 0, delay = 1; pending && waited < waitMs; waited += delay, delay = Math.min(delay * 2, 20)) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          if (!(await stillRunning(pending.writers))) {
            confirmed = Math.max(confirmed, pending.bound);
            pending = null;
          }
        }
        return confirmed;
      },
    };
  },
};

/** The integrator's engine-specific parts for `engine`. */
export function logSequencing(engine: EngineTypes): LogSequencing {
  return engine.name === 'postgres' ? postgresSequencing : sqliteSequencing;
}
