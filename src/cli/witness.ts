/**
 * `flowguard witness …`: the witness the regulator (or an auditor) runs next to, not inside, the
 * bank. It keeps its own key and state in a directory and cosigns the bank log's checkpoints over
 * C2SP tlog-witness (src/audit/witness/README.md).
 */
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { loggerOptions } from '../server/logging.ts';
import {
  buildWitnessServer, createWitness, loadOrCreateWitnessKey, openFileStateStore, parseLogFlag, readWitnessConfig,
  trustedLogsFrom, WitnessError, WITNESS_CONFIG_FILE,
} from '../audit/witness/index.ts';

/** The default port; tlog-witness names none. */
export const DEFAULT_WITNESS_PORT = 7380;

interface ServeOptions { state: string; port: number; host: string; name?: string; log: string[] }

/**
 * Adds the `witness` command group to the program. Created with `program.command()` so it inherits
 * the program's exit override and error output (one line, exit 2).
 */
export function registerWitnessCommand(program: Command): Command {
  const witness = program.command('witness').description("the regulator's witness: cosigns the bank log's checkpoints (C2SP tlog-witness)");
  witness
    .command('serve')
    .description('serve POST /add-checkpoint; generates the witness key in --state on first start')
    .requiredOption('--state <dir>', 'state directory: witness.key, config.json, logs/')
    .option('--port <n>', `port to listen on (default ${DEFAULT_WITNESS_PORT}; 0 picks a free one)`, parsePort, DEFAULT_WITNESS_PORT)
    .option('--host <h>', 'address to listen on', '127.0.0.1')
    .option('--name <name>', `witness name for a new key (default <hostname>/flowguard-witness)`)
    .option('--log <origin=vkey>', `trust a log: <origin>=<verifier key>, or a verifier key named after its origin; repeatable, added to ${WITNESS_CONFIG_FILE}`, collect, [])
    .action(serveWitness);
  witness
    .command('key')
    .description('print the witness verifier key (cosignature/v1, type 0x04), generating the key on first use')
    .requiredOption('--state <dir>', 'state directory')
    .option('--name <name>', 'witness name for a new key (default <hostname>/flowguard-witness)')
    .action(async (opts: { state: string; name?: string }) => {
      await mkdir(opts.state, { recursive: true, mode: 0o700 });
      const key = await loadOrCreateWitnessKey(opts.state, keyOptions(opts.name));
      process.stdout.write(`${key.verifierKey}\n`);
    });
  return witness;
}

async function serveWitness(opts: ServeOptions): Promise<void> {
  await mkdir(opts.state, { recursive: true, mode: 0o700 });
  const logs = trustedLogsFrom([...(await readWitnessConfig(opts.state)), ...opts.log.map(parseLogFlag)]);
  if (logs.length === 0) {
    throw new WitnessError('invalid_configuration', `no trusted log: pass --log <origin>=<verifier key> or list logs in ${opts.state}/${WITNESS_CONFIG_FILE}`);
  }
  const key = await loadOrCreateWitnessKey(opts.state, keyOptions(opts.name));
  const state = await openFileStateStore(opts.state);
  const onEvidenceError = (error: unknown) => {
    process.stderr.write(`flowguard witness: could not keep the evidence of a split view: ${(error as Error).message}\n`);
  };
  const witness = createWitness({ cosigner: key.cosigner, logs, state, onEvidenceError });
  const app = await buildWitnessServer(witness, { logger: loggerOptions(process.env.FLOWGUARD_LOG_LEVEL ?? 'info') });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const address = await app.listen({ port: opts.port, host: opts.host });
  process.stdout.write([
    `witness ${key.name}${key.created ? ' (new key generated)' : ''}`,
    `verifier key: ${key.verifierKey}`,
    ...logs.map((log) => `trusting log: ${log.origin}`),
    `listening on ${address}`,
    '',
  ].join('\n'));
}

function keyOptions(name: string | undefined): { name?: string; defaultName: string } {
  return { ...(name === undefined ? {} : { name }), defaultName: `${hostname()}/flowguard-witness` };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new WitnessError('invalid_configuration', `--port must be a number from 0 to 65535, not "${value}"`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
