import { openStore } from '../store/database.ts';
import { loadConfig } from '../config.ts';
import { loadSettings, watchSettings } from '../access/settings.ts';
import { openStatementSource } from '../bank/sources/open-statement-source.ts';
import { outboxSms } from '../notify/sms.ts';
import { buildApp } from '../server/app.ts';
import { GroupCommitter } from '../audit/log/group-commit.ts';
import { ensureDemoBank, printDemoAccounts } from './demo.ts';
import { loadPseudonymKey, usePseudonymKey } from '../audit/actor-pseudonyms.ts';
import { startLogIntegrator } from '../audit/log/log-service.ts';
import { schedulePurge } from '../identity/housekeeping.ts';
import { closeRefusalTallies, scheduleTallyClosing } from '../audit/refusal-tally.ts';

export async function serveCommand(opts: { port?: number; host?: string; demo: boolean; db?: string }): Promise<void> {
  const config = loadConfig(process.env, {
    ...(opts.db ? { dbUrl: opts.db } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host ? { host: opts.host } : {}),
  });
  // Before anything is recorded (the demo seed writes entries): entries name employees by it.
  usePseudonymKey(await loadPseudonymKey(process.env, { create: config.log.createDemoKey, log: (message) => process.stderr.write(`flowguard: ${message}\n`) }));
  const store = await openStore(config.dbUrl);
  if (opts.demo) await ensureDemoBank(store);
  const settings = await loadSettings(store.db);
  const now = () => new Date();
  const recorder = new GroupCommitter(store.db, { now });
  // The demo bank, or the bank's own system (FLOWGUARD_SOURCE): the gate reads statements through it alone.
  const source = openStatementSource(config.source, store.db);
  const app = await buildApp({ store, config, settings, source, sms: outboxSms, now, recorder });
  const integrator = await startLogIntegrator(store, config.log, { logger: app.log });
  // A change another node applied is in force here within the poll interval; a failed reload keeps the last good settings.
  const settingsWatch = watchSettings(settings, config.settingsPollMs, (error) => app.log.error({ err: error }, 'reloading changed settings failed; the last good settings stay in force'));
  const purge = schedulePurge(store.db, now,
    (purged) => { if (purged.sessions + purged.throttleCounts + purged.loginDelays + purged.rateLimitCounts > 0) app.log.info(purged, 'expired sessions, throttle counts, sign-in delays and rate-limit counts removed'); },
    (error) => app.log.error({ err: error }, 'removing expired sessions failed'));
  const tallies = scheduleTallyClosing(store.db, now, (error) => app.log.error({ err: error }, 'recording the totals of refusal windows failed'));
  const stop = async () => {
    purge.stop();
    settingsWatch.stop();
    tallies.stop();
    await app.close();
    // Refusal counts open at shutdown go into the record now, before the log integrates its last entries.
    // Should this fail, the counts stay in the database and the next start's first run records them.
    await closeRefusalTallies(store.db, now(), 'all').catch((error) => app.log.error({ err: error }, 'recording open refusal counts at shutdown failed'));
    await recorder.flush();
    await integrator.stop(); // integrates what was committed before shutdown
    await source.close?.();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const address = await app.listen({ port: config.port, host: config.host });
  if (opts.demo) printDemoAccounts(address);
  app.log.info({ database: store.location, address }, 'Flowguard is serving');
}
