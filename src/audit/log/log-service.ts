/**
 * Starting the log inside the server: load the signing keys (generating the demo key on a first
 * start), connect the configured witnesses (FLOWGUARD_LOG_WITNESSES) as the checkpoint publisher,
 * create the integrator and start its timer. `flowguard serve` calls this.
 */
import type { Store } from '../../store/database.ts';
import type { CheckpointPublisher } from './checkpoint-publisher.ts';
import { createIntegrator, type Integrator, type IntegratorLogger } from './integrator.ts';
import type { LogConfig } from './log-config.ts';
import { loadLogSigners } from './signing-key-file.ts';
import { createWitnessPublisher, isWitnessError, parseWitnessEndpoints } from '../witness/index.ts';
import { FlowguardError } from '../../errors.ts';

/** The publisher collecting cosignatures from the configured witnesses, or undefined if there are none. */
export function witnessPublisher(config: Pick<LogConfig, 'witnesses' | 'witnessQuorum'>, logger?: IntegratorLogger): CheckpointPublisher | undefined {
  if (config.witnesses.trim() === '') return undefined;
  try {
    return createWitnessPublisher({
      witnesses: parseWitnessEndpoints(config.witnesses),
      ...(config.witnessQuorum === undefined ? {} : { quorum: config.witnessQuorum }),
      onWitnessError: (url, error) => logger?.warn({ url, err: error }, 'a witness did not cosign the checkpoint'),
    });
  } catch (error) {
    throw new FlowguardError('invalid_request', `FLOWGUARD_LOG_WITNESSES / FLOWGUARD_LOG_WITNESS_QUORUM: ${isWitnessError(error) ? error.message : String(error)}`, {}, { cause: error });
  }
}

export interface LogServiceOptions {
  logger?: IntegratorLogger & { info(obj: object, msg: string): void };
  publisher?: CheckpointPublisher;
}

/** Loads the keys, starts the integrator, and returns it (call `stop()` on shutdown). */
export async function startLogIntegrator(store: Store, config: LogConfig, options: LogServiceOptions = {}): Promise<Integrator> {
  const { logger } = options;
  const signers = await loadLogSigners(config, (message) => logger?.warn({ keyFile: config.keyFile }, message));
  const publisher = options.publisher ?? witnessPublisher(config, logger);
  logger?.info({ origin: config.origin, keys: signers.map((s) => s.verifierKey), witnessed: publisher !== undefined }, 'log integrator started');
  const integrator = createIntegrator({
    store,
    origin: config.origin,
    signers,
    maxBatch: config.maxBatch,
    intervalMs: config.intervalMs,
    ...(publisher ? { publisher } : {}),
    ...(logger ? { logger } : {}),
  });
  integrator.start();
  return integrator;
}
