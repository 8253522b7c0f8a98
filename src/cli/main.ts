/**
 * The `flowguard` command. Misuse prints one line saying what is wrong and exits 2; nothing is
 * half-written (each command either completes its transaction or leaves the database as it was).
 */
import { Command, CommanderError, Option } from 'commander';
import { FlowguardError } from '../errors.ts';
import { serveCommand } from './serve.ts';
import { seedCommand } from './seed.ts';
import { outboxCommand } from './outbox.ts';
import { registerWitnessCommand } from './witness.ts';
import { registerAuditCommand } from './audit.ts';

const program = new Command('flowguard')
  .description('Flowguard (流水卫士): purpose-bound, verifiable, customer-visible access to bank statements')
  .showHelpAfterError(false)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `flowguard: ${s}` : s) });

const dbOption = () => new Option('--db <url>', 'database URL: sqlite:<file> or postgres://… (env FLOWGUARD_DB)').env('FLOWGUARD_DB');

program
  .command('serve')
  .description('serve the API (and, with --demo, seed an empty database with the demo bank)')
  .option('--port <n>', 'port to listen on (env FLOWGUARD_PORT)', parsePort)
  .option('--host <h>', 'address to listen on (env FLOWGUARD_HOST)')
  .option('--demo', 'seed the demo bank when the database is empty and print the demo accounts', false)
  .addOption(dbOption())
  .action(serveCommand);

program
  .command('seed')
  .description('fill an empty database with the synthetic demo bank')
  .requiredOption('--demo', 'seed the synthetic demo bank (the only source for now)')
  .option('--seed <n>', 'random seed; the same seed gives the same bank', parseNonNegative, 1)
  .option('--customers <n>', 'number of customers', parseNonNegative, 200)
  .option('--days <n>', 'days of transaction history', parseNonNegative, 365)
  .addOption(dbOption())
  .option('--json', 'print the result as JSON', false)
  .action(seedCommand);

program
  .command('outbox')
  .description('demo only: print text messages the local SMS outbox holds (one-time codes)')
  .option('--to <mobile>', 'only messages to this number')
  .option('--last <n>', 'how many messages', parseNonNegative, 5)
  .addOption(dbOption())
  .option('--json', 'print as JSON', false)
  .action(outboxCommand);

registerWitnessCommand(program);
registerAuditCommand(program);

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new FlowguardError('invalid_request', `--port must be a number from 0 to 65535, not "${v}"`);
  return n;
}

function parseNonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new FlowguardError('invalid_request', `expected a whole number, not "${v}"`);
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors.
    process.exit(error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2);
  }
  const message = error instanceof FlowguardError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`flowguard: ${message.split('\n')[0]}\n`);
  process.exit(2);
}
