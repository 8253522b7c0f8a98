/**
 * Starting the log inside the server: load the signing keys (generating the demo key on a first
 * start), create the integrator and start its timer. `flowguard serve` calls this; the witness
 * wiring passes its publisher here.
 */
import type { Store } from '../../store/database.ts';
import type { CheckpointPublisher } from './checkpoint-publisher.ts';
import { createIntegrator, type Integrator, type IntegratorLogger } from './integrator.ts';
import type { LogConfig } from './log-config.ts';
import { loadLogSigners } from './signing-key-file.ts';

export interface LogServiceOptions {
  logger?: IntegratorLogger & { info(obj: object, msg: string): void };
  publisher?: CheckpointPublisher;
}

/** Loads the keys, starts the integrator, and returns it (call `stop()` on shutdown). */
export async function startLogIntegrator(store: Store, config: LogConfig, options: LogServiceOptions = {}): Promise<Integrator> {
  const { logger } = options;
  const signers = await loadLogSigners(config, (message) => logger?.warn({ keyFile: config.keyFile }, message));
  logger?.info({ origin: config.origin, keys: signers.map((s) => s.verifierKey) }, 'log integrator started');
  const integrator = createIntegrator({
    store,
    origin: config.origin,
    signers,
    maxBatch: config.maxBatch,
    intervalMs: config.intervalMs,
    ...(options.publisher ? { publisher: options.publisher } : {}),
    ...(logger ? { logger } : {}),
  });
  integrator.start();
  return integrator;
}
