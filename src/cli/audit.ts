/**
 * `flowguard audit …`: the verifiable access log from the command line — the verifier key to give
 * auditors, the latest checkpoint, a full verification, and the integrator and retention run by hand.
 * `audit verify` exits 0 when the log verifies, 1 when it found tampering (naming the first problem),
 * and 2 when it could not run (bad key, unreadable trusted checkpoint, database URL).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { DEFAULT_DB_URL, openStore, type Store } from '../store/database.ts';
import { FlowguardError } from '../errors.ts';
import { loadLogConfig, parseVerifierKeys, type LogConfig } from '../audit/log/log-config.ts';
import { loadLogSigners, loadSigningKeyFile } from '../audit/log/signing-key-file.ts';
import { createLogReader } from '../audit/log/log-reader.ts';
import { latestCheckpoint } from '../audit/log/log-store.ts';
import { createIntegrator } from '../audit/log/integrator.ts';
import { shredExpiredEntries } from '../audit/log/retention.ts';
import { verifyLog, type VerifyReport } from '../audit/log/verify-log.ts';

const dbOption = () => new Option('--db <url>', 'database URL: sqlite:<file> or postgres://… (env FLOWGUARD_DB)').env('FLOWGUARD_DB');

async function withStore<T>(url: string | undefined, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url ?? DEFAULT_DB_URL);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function loadConfig(): { log: LogConfig } {
  return { log: loadLogConfig(process.env) };
}

/** The keys `audit verify` trusts: --key if given, else the configured verifier keys and the public halves of the key files. */
async function verifierKeys(explicit: string[], config: LogConfig): Promise<string[]> {
  if (explicit.length > 0) return explicit;
  const keys = [...config.verifierKeys];
  for (const file of [config.keyFile, ...config.nextKeyFiles]) {
    try {
      keys.push((await loadSigningKeyFile(file, config.origin)).verifierKey);
    } catch (error) {
      if (!(error instanceof FlowguardError && /does not exist/.test(error.message))) throw error;
    }
  }
  if (keys.length === 0) {
    throw new FlowguardError('log_key_invalid', `No verifier key: pass --key <name+id+key>, set FLOWGUARD_LOG_VERIFIER_KEYS, or point FLOWGUARD_LOG_KEY_FILE at the log key (${config.keyFile} does not exist).`);
  }
  return keys;
}

function printReport(report: VerifyReport): void {
  const lines: string[] = [];
  const cp = report.checkpoint;
  if (report.ok) {
    lines.push(`log verified: ${cp?.origin} — ${cp?.size} entries, root ${cp?.root}`);
  } else {
    const first = report.problems[0]!;
    lines.push(`TAMPERING: ${first.message}`);
    if (cp) lines.push(`latest checkpoint: ${cp.origin} — ${cp.size} entries, root ${cp.root}`);
  }
  if (report.trusted) lines.push(`trusted checkpoint: ${report.trusted.size} entries, root ${report.trusted.root}${report.ok ? ' — consistent' : ''}`);
  lines.push(`checked ${report.checked.leaves} leaves (${report.checked.entries} entries, ${report.checked.shredded} shredded under retention), ${report.checked.tiles} tiles`);
  if (report.checked.hashing !== 'native' && report.checked.leaves >= 100_000) {
    lines.push('(tiles were hashed in JavaScript, about 1.6× slower: the native tile hasher is not built here; `npm run build:native` builds it)');
  }
  if (!report.ok) {
    lines.push(`${report.problemCount} problem(s):`);
    for (const p of report.problems.slice(0, 20)) lines.push(`  [${p.code}]${p.index === undefined ? '' : ` leaf ${p.index}`}${p.seq === undefined ? '' : ` seq ${p.seq}`}: ${p.message}`);
    if (report.problemCount > 20) lines.push(`  … and ${report.problemCount - 20} more (--json lists up to 100)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Adds the `audit` command group (key, checkpoint, verify, integrate, shred). */
export function registerAuditCommand(program: Command): Command {
  const audit = program.command('audit').description('the verifiable access log: verifier key, checkpoints, verification');

  audit
    .command('key')
    .description('print the log\'s verifier key string (generates the DEMO ONLY key on first use unless FLOWGUARD_LOG_CREATE_KEY=0)')
    .action(async () => {
      const { log } = loadConfig();
      const signers = await loadLogSigners(log, (message) => process.stderr.write(`flowguard: ${message}\n`));
      process.stdout.write(signers.map((s) => `${s.verifierKey}\n`).join(''));
    });

  audit
    .command('checkpoint')
    .description('print the latest published signed checkpoint (what /log/checkpoint serves)')
    .addOption(dbOption())
    .option('--json', 'print as JSON', false)
    .action(async (opts: { db?: string; json: boolean }) => {
      await withStore(opts.db, async (store) => {
        const latest = await createLogReader(store.db).latestCheckpoint();
        if (!latest) throw new FlowguardError('log_not_ready', 'The log has no published checkpoint yet: start the server or run `flowguard audit integrate`.');
        if (opts.json) {
          const { origin, size, root } = latest.checkpoint;
          process.stdout.write(`${JSON.stringify({ origin, size: Number(size), root: root.toString('base64'), note: latest.note })}\n`);
        } else {
          process.stdout.write(latest.note);
        }
      });
    });

  audit
    .command('verify')
    .description('recompute the log from the stored entries and check tiles, signatures and consistency; exit 1 on tampering')
    .addOption(dbOption())
    .option('--trusted <file>', 'a signed checkpoint saved earlier (e.g. from the witness): detects rollback and rewritten history')
    .option('--key <vkey>', 'a verifier key to trust (repeatable); default: FLOWGUARD_LOG_VERIFIER_KEYS and the configured key files', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', 'print the report as JSON', false)
    .action(async (opts: { db?: string; trusted?: string; key: string[]; json: boolean }) => {
      const { log } = loadConfig();
      const verifiers = parseVerifierKeys(await verifierKeys(opts.key, log));
      let trusted: string | undefined;
      if (opts.trusted !== undefined) {
        try {
          trusted = await readFile(opts.trusted, 'utf8');
        } catch (error) {
          throw new FlowguardError('invalid_request', `Cannot read the trusted checkpoint ${opts.trusted}: ${(error as Error).message}`);
        }
      }
      const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'verifying [{bar}] {percentage}% | {value}/{total} leaves | ETA {eta}s' }, Presets.shades_classic) : null;
      const url = opts.db ?? DEFAULT_DB_URL;
      // Spread a large log over the other cores: each worker opens its own connection.
      const parallel = url === 'sqlite::memory:' ? undefined : { url, workers: Math.min(3, Math.max(1, availableParallelism() - 1)) };
      const report = await withStore(url, async (store) => {
        let started = false;
        try {
          return await verifyLog(store, {
            verifiers,
            origin: log.origin,
            ...(parallel ? { parallel } : {}),
            ...(trusted === undefined ? {} : { trusted }),
            onProgress: (done, total) => {
              if (!bar) return;
              if (!started) bar.start(total, 0);
              started = true;
              bar.update(done);
            },
          });
        } finally {
          if (started) bar?.stop();
        }
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else printReport(report);
      if (!report.ok) process.exitCode = 1;
    });

  audit
    .command('integrate')
    .description('integrate committed entries and sign a checkpoint now (the server does this every 200 ms)')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      const { log } = loadConfig();
      const signers = await loadLogSigners(log, (message) => process.stderr.write(`flowguard: ${message}\n`));
      await withStore(opts.db, async (store) => {
        // A log that publishes cosigned checkpoints must not publish one here, without its witnesses:
        // the checkpoint is signed and left for the server, which submits the newest one to them.
        const served = await latestCheckpoint(store.db, { published: true });
        const witnessed = log.witnesses.trim() !== '' || (served !== undefined && served.publishedNote !== served.note);
        const publisher = witnessed ? { publish: () => Promise.reject(new Error('published by the server, with its witnesses')) } : undefined;
        const result = await createIntegrator({ store, origin: log.origin, signers, maxBatch: log.maxBatch, ...(publisher ? { publisher } : {}) }).drain();
        process.stdout.write(`log size ${result.size}${witnessed ? ' (signed; the server publishes it once its witnesses cosign it)' : ''}\n`);
      });
    });

  audit
    .command('shred')
    .description('retention: delete logged entries created before a date, with their salts; their commitments stay in the log')
    .requiredOption('--before <date>', 'ISO date or time; entries created earlier are deleted')
    .addOption(dbOption())
    .action(async (opts: { db?: string; before: string }) => {
      const before = new Date(opts.before);
      if (Number.isNaN(before.getTime())) throw new FlowguardError('invalid_request', `--before must be an ISO date, not "${opts.before}"`);
      await withStore(opts.db, async (store) => {
        const result = await shredExpiredEntries(store.db, { before });
        process.stdout.write(`shredded ${result.shredded} entries\n`);
      });
    });

  return audit;
}
