/**
 * The witness's record of each log: the latest checkpoint it cosigned (tlog-witness: "the witness is
 * only required to keep track of the latest checkpoint it observed and verified"). One file per
 * origin under `<state dir>/logs/`, named by SHA-256 of the origin, replaced atomically. A missing
 * file means "never cosigned"; an unreadable one is an error, never a reset to size 0, which would
 * let a log roll the witness back.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCheckpoint, parseNote, type Checkpoint } from '../tlog/index.ts';
import { removeStaleTempFiles, writeFileAtomic, type AtomicWriteHooks } from '../atomic-file.ts';
import { WitnessError } from './errors.ts';

/** What the witness remembers of one log. */
export interface LogState {
  /** The latest cosigned checkpoint, parsed from `note`. */
  readonly checkpoint: Checkpoint;
  /** That checkpoint as the log signed it (the note the witness verified), kept as evidence. */
  readonly note: string;
}

/** Where the witness keeps its per-log state. */
export interface WitnessStateStore {
  read(origin: string): Promise<LogState | undefined>;
  /** Durably replaces the state of `state.checkpoint.origin`; resolves only once it is on disk. */
  write(state: LogState): Promise<void>;
  /** Keeps a log-signed checkpoint that conflicts with the cosigned one: proof of a split view. */
  recordSplitView?(cosigned: LogState, offered: string): Promise<void>;
}

interface StateFile {
  version: 1;
  origin: string;
  checkpoint: string;
  updated: string;
}

/** Opens (creating if needed) the file store under `stateDir/logs`, removing temp files a crash left. */
export async function openFileStateStore(stateDir: string, hooks: AtomicWriteHooks = {}): Promise<WitnessStateStore> {
  const dir = join(stateDir, 'logs');
  const evidenceDir = join(stateDir, 'evidence');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStaleTempFiles(dir);
  await removeStaleTempFiles(evidenceDir);
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const fileOf = (origin: string) => join(dir, `${sha256(origin)}.json`);
  return {
    async read(origin) {
      const path = fileOf(origin);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new WitnessError('state_failure', `cannot read the witness state ${path}: ${(error as Error).message}`, {}, { cause: error });
      }
      return parseStateFile(text, origin, path);
    },
    async write(state) {
      const file: StateFile = { version: 1, origin: state.checkpoint.origin, checkpoint: state.note, updated: new Date().toISOString() };
      const path = fileOf(state.checkpoint.origin);
      try {
        await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, hooks);
      } catch (error) {
        throw new WitnessError('state_failure', `cannot write the witness state ${path}: ${(error as Error).message}`, {}, { cause: error });
      }
    },
    async recordSplitView(cosigned, offered) {
      await mkdir(evidenceDir, { recursive: true, mode: 0o700 });
      const { origin, size } = cosigned.checkpoint;
      const name = `split-view-${sha256(origin).slice(0, 16)}-${size}-${sha256(offered).slice(0, 16)}.txt`;
      const text = `# Two checkpoints of ${origin} at size ${size}, both signed by the log, with different roots.\n`
        + `# Recorded ${new Date().toISOString()}. Cosigned by this witness:\n${cosigned.note}\n# Offered later and refused:\n${offered}`;
      await writeFileAtomic(join(evidenceDir, name), text);
    },
  };
}

function parseStateFile(text: string, origin: string, path: string): LogState {
  try {
    const file = JSON.parse(text) as Partial<StateFile>;
    if (file.version !== 1 || file.origin !== origin || typeof file.checkpoint !== 'string') {
      throw new Error('expected {"version": 1, "origin", "checkpoint"} for this origin');
    }
    const checkpoint = parseCheckpoint(parseNote(file.checkpoint).text);
    if (checkpoint.origin !== origin) throw new Error(`the stored checkpoint is for ${checkpoint.origin}`);
    return { checkpoint, note: file.checkpoint };
  } catch (cause) {
    throw new WitnessError('state_failure', `the witness state ${path} is corrupt (${(cause as Error).message}); restore it from a backup — starting over at size 0 would allow a rollback`, {}, { cause });
  }
}
