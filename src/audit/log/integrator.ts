/**
 * The one integrator: turns committed audit entries into leaves of the Merkle tree, in seq order,
 * and signs a checkpoint for each batch (src/audit/log/README.md). One step, in one transaction:
 *
 * 1. ask the fence (store/dialect/log-sequencing.ts) up to which seq the committed entries are final;
 * 2. take the integrator lock (PostgreSQL advisory lock) and the state row's write lock;
 * 3. read the entries after the last integrated seq, up to the fence, oldest first;
 * 4. leaf data = entryCommitment(salt, entry) (never the content), leaf hash per RFC 6962;
 * 5. extend the tree's compact range, write leaf ↔ seq rows, the changed tiles and entry bundles;
 * 6. sign the checkpoint with every configured key and store it with the new state.
 *
 * Tiles, leaves, checkpoint and state commit together, so a crash leaves the previous tree or the
 * next one, never a torn tile. After commit the checkpoint goes to the publisher (witnesses), if any.
 */
import {
  compactRangeFromHashes, entryCommitment, extendCompactRange, formatKeyId, leafHash, parseNote, TILE_WIDTH,
  type Checkpoint,
} from '../tlog/index.ts';
import type { Store } from '../../store/database.ts';
import { logSequencing, type SeqFence } from '../../store/dialect/log-sequencing.ts';
import { signCheckpointNote, type CheckpointSigner } from './checkpoint-signer.ts';
import type { CheckpointPublisher } from './checkpoint-publisher.ts';
import { buildBatchTiles, partialTilesAt } from './tile-builder.ts';
import {
  insertCheckpoint, insertLeaves, latestCheckpoint, lockLogState, publishCheckpoint, readBundle, readLogState, readTiles,
  upsertBundles, upsertTiles, writeLogState,
} from './log-store.ts';
import { createLogReader } from './log-reader.ts';
import { FlowguardError } from '../../errors.ts';

/** Where the integrator reports trouble (pino and Fastify loggers fit). */
export interface IntegratorLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IntegratorOptions {
  store: Pick<Store, 'db' | 'engine'>;
  /** The checkpoint origin (log name). */
  origin: string;
  /** The current key first, then keys being rotated in; every one signs every checkpoint. */
  signers: readonly CheckpointSigner[];
  /** Witnesses: when set, a checkpoint is served only once the publisher returns its cosigned note. */
  publisher?: CheckpointPublisher;
  /** Most entries per step (default 20,000). */
  maxBatch?: number;
  /** Pause between steps when there is no backlog (default 200 ms). */
  intervalMs?: number;
  now?: () => Date;
  logger?: IntegratorLogger;
  /** Test seam: replaces the engine's seq fence (store/dialect/log-sequencing.ts). */
  fence?: SeqFence;
}

/** What one step did. */
export interface StepResult {
  status: 'integrated' | 'idle' | 'busy';
  /** Tree size after the step. */
  size: number;
  /** Leaves added by the step. */
  added: number;
  /** Entries beyond the batch limit are waiting: run another step now. */
  more: boolean;
}

export interface Integrator {
  /** Runs one step now (waiting for a step in progress first); what tests and the CLI call. */
  step(): Promise<StepResult>;
  /** Runs steps until nothing final is left to integrate; returns the last step's result. */
  drain(): Promise<StepResult>;
  /** Starts the timer: a step every `intervalMs`, back to back while there is a backlog. */
  start(): void;
  /** Stops the timer and runs a last step, so entries committed before shutdown are integrated. */
  stop(): Promise<void>;
}

const PUBLISH_RETRY_MS = 2_000;

/** Creates the integrator of a store's log. */
export function createIntegrator(options: IntegratorOptions): Integrator {
  const { store, origin, signers, publisher } = options;
  if (signers.length === 0) throw new FlowguardError('log_key_invalid', 'The log needs at least one signing key.');
  for (const signer of signers) {
    if (signer.name !== origin) throw new FlowguardError('log_key_invalid', `Log key ${signer.name} is not named after the origin ${origin}.`);
  }
  const db = store.db;
  const sequencing = logSequencing(store.engine);
  const fence = options.fence ?? sequencing.createFence(db);
  const maxBatch = options.maxBatch ?? 20_000;
  const intervalMs = options.intervalMs ?? 200;
  const now = options.now ?? (() => new Date());
  const reader = createLogReader(db);
  const signerIds = signers.map((s) => `${s.name}+${formatKeyId(s.keyId)}`);
  let lastPublishFailure = 0;

  /** Whether every configured key signed this note (false after a key was added: sign again). */
  const signedByAll = (note: string): boolean => {
    const present = new Set(parseNote(note).signatures.map((s) => `${s.name}+${formatKeyId(s.keyId)}`));
    return signerIds.every((id) => present.has(id));
  };

  async function integrate(bound: number): Promise<StepResult> {
    return db.transaction().execute(async (tx) => {
      const at = now();
      if (!(await sequencing.lockIntegrator(tx))) return { status: 'busy' as const, size: 0, added: 0, more: false };
      await lockLogState(tx, at);
      const state = await readLogState(tx);
      const rows = await tx.selectFrom('audit_entries').select(['seq', 'entry', 'salt'])
        .where('seq', '>', state.lastSeq).where('seq', '<=', bound)
        .orderBy('seq').limit(maxBatch + 1).execute();
      const more = rows.length > maxBatch;
      const batch = more ? rows.slice(0, maxBatch) : rows;
      const lastSeq = more ? Number(batch[batch.length - 1]!.seq) : Math.max(bound, state.lastSeq);
      const latest = await latestCheckpoint(tx);
      if (batch.length === 0 && latest && latest.size === state.size && signedByAll(latest.note)) {
        // Only rolled-back seqs were below the fence: remember they are final, sign nothing.
        if (lastSeq > state.lastSeq) await writeLogState(tx, { ...state, lastSeq }, at);
        return { status: 'idle' as const, size: state.size, added: 0, more: false };
      }
      const leaves = batch.map((row) => entryCommitment(row.salt, row.entry));
      const extension = extendCompactRange(compactRangeFromHashes(state.size, state.border), leaves.map(leafHash));
      const size = Number(extension.range.size);
      if (batch.length > 0) {
        const partials = partialTilesAt(state.size);
        const stored = await readTiles(tx, partials);
        const oldTiles = new Map(partials.flatMap((p) => {
          const tile = stored.get(`${p.level}/${p.n}`);
          return tile ? [[p.level, tile.data] as const] : [];
        }));
        const oldBundle = state.size % TILE_WIDTH === 0 ? undefined : (await readBundle(tx, Math.floor(state.size / TILE_WIDTH)))?.data;
        const { tiles, bundles } = buildBatchTiles({
          oldSize: state.size, newSize: size, stored: extension.stored, leaves, oldTiles, ...(oldBundle ? { oldBundle } : {}),
        });
        await insertLeaves(tx, state.size, batch.map((row) => Number(row.seq)));
        await upsertTiles(tx, tiles);
        await upsertBundles(tx, bundles);
      }
      const checkpoint: Checkpoint = { origin, size: BigInt(size), root: extension.root };
      const note = await signCheckpointNote(checkpoint, signers);
      await insertCheckpoint(tx, { size, root: extension.root, note, publishedNote: publisher ? null : note, createdAt: at.toISOString() });
      await writeLogState(tx, { size, root: extension.root, border: [...extension.range.hashes], lastSeq }, at);
      return { status: 'integrated' as const, size, added: batch.length, more };
    });
  }

  /** Hands the newest checkpoint to the publisher if it is not published yet. */
  async function publishPending(): Promise<void> {
    if (!publisher || Date.now() - lastPublishFailure < PUBLISH_RETRY_MS) return;
    const newest = await latestCheckpoint(db);
    if (!newest || newest.publishedNote !== null) return;
    const previous = await reader.latestCheckpoint();
    try {
      const published = await publisher.publish({
        checkpoint: { origin, size: BigInt(newest.size), root: newest.root },
        note: newest.note,
        previous,
        proveFrom: (size) => reader.consistencyProof(size, newest.size),
      });
      await publishCheckpoint(db, newest.id, published);
    } catch (error) {
      lastPublishFailure = Date.now();
      options.logger?.warn({ err: error, size: newest.size }, 'the checkpoint could not be published to the witnesses; serving the previous one');
    }
  }

  async function stepOnce(): Promise<StepResult> {
    const bound = await fence.finalSeq();
    const state = await readLogState(db);
    const latest = await latestCheckpoint(db);
    let result: StepResult;
    if (bound <= state.lastSeq && latest && latest.size === state.size && signedByAll(latest.note)) {
      result = { status: 'idle', size: state.size, added: 0, more: false };
    } else {
      result = await integrate(bound);
    }
    await publishPending();
    return result;
  }

  let chain: Promise<unknown> = Promise.resolve();
  const step = (): Promise<StepResult> => {
    const run = chain.then(stepOnce, stepOnce);
    chain = run.catch(() => undefined);
    return run;
  };

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (delay: number) => {
    timer = setTimeout(async () => {
      timer = null;
      let more = false;
      try {
        more = (await step()).more;
      } catch (error) {
        options.logger?.error({ err: error }, 'log integration step failed; retrying');
      }
      if (running) schedule(more ? 0 : intervalMs);
    }, delay);
    timer.unref();
  };

  return {
    step,
    async drain() {
      let result = await step();
      for (let busy = 0; result.more || (result.status === 'busy' && busy < 250); ) {
        if (result.status === 'busy') {
          busy++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        result = await step();
      }
      return result;
    },
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
      await step();
    },
  };
}
