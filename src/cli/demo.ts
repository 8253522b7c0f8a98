// placeholder until the demo bank lands
import type { Store } from '../store/database.ts';
export async function ensureDemoBank(_store: Store): Promise<void> {}
export function printDemoAccounts(_address: string): void {}
