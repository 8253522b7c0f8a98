import { engines } from '../../../test/engines.ts';
import { openStore } from '../../store/database.ts';
import { demoBankSource } from '../statement-source.ts';
import { seedContractBank } from './test-support/contract-bank.ts';
import { describeStatementSourceContract } from './test-support/statement-source-contract.ts';

for (const engine of engines) {
  describeStatementSourceContract(`demo bank on ${engine.name}`, async () => {
    const store = await openStore(await engine.freshUrl());
    const ledger = await seedContractBank(store);
    return { source: demoBankSource(store.db), ledger, close: () => store.close() };
  });
}
