/**
 * Layers that point one way (issue 10 item 5): src/ imports only downwards through
 * core → store → audit → identity → access / customers / oversight → server → cli, and the
 * capability folders of one layer have no cycles between them. test/import-layers.ts holds the rules.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { backwardImports, edgesOf, folderCycles, LAYERS, moduleOf, ROOT, sourceEdges, sourceFiles } from './import-layers.ts';

describe('src imports point one way', () => {
  it('every folder of src/ is in a layer', () => {
    const tops = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')))
      .map((e) => e.name);
    const placed = LAYERS.flatMap((l) => l.holds as readonly string[]);
    expect(tops.filter((t) => !placed.includes(t))).toEqual([]);
    expect(sourceFiles().filter((f) => !moduleOf(f))).toEqual([]);
  });

  it('no module imports a layer above its own', () => {
    expect(backwardImports(sourceEdges())).toEqual([]);
  });

  it('no cycles between the folders of one layer', () => {
    expect(folderCycles(sourceEdges())).toEqual([]);
  });

  it('core imports nothing of ours but core', () => {
    const fromCore = sourceEdges().filter((e) => e.from.unit === 'core' && e.to.unit !== 'core');
    expect(fromCore.map((e) => `${e.from.file} → ${e.to.file}`)).toEqual([]);
  });

  describe('the check itself', () => {
    const backward = (file: string, text: string) => backwardImports(edgesOf(file, text));

    it('flags a backward import, type-only or not, and a dynamic one', () => {
      expect(backward('src/audit/log/entry-reveal.ts', "import { accessHistory } from '../../customers/history.ts';")).toHaveLength(1);
      expect(backward('src/audit/record.ts', "import type { Principal } from '../server/context.ts';")).toHaveLength(1);
      expect(backward('src/store/database.ts', "const m = await import('../audit/record.ts');")).toHaveLength(1);
      expect(backward('src/core/principal.ts', "export type { Store } from '../store/database.ts';")).toHaveLength(1);
    });

    it('allows downward imports, and AppContext as a type from identity and the capabilities only', () => {
      expect(backward('src/access/requests.ts', "import type { AppContext } from '../server/context.ts';\nimport { FlowguardError } from '../errors.ts';")).toEqual([]);
      expect(backward('src/access/requests.ts', "import type { AppContext, Principal } from '../server/context.ts';")).toHaveLength(1);
      expect(backward('src/access/requests.ts', "import { AppContext } from '../server/context.ts';")).toHaveLength(1);
      expect(backward('src/audit/record.ts', "import type { AppContext } from '../server/context.ts';")).toHaveLength(1);
    });

    it('puts route files in the server layer, and ignores comments', () => {
      expect(moduleOf('src/access/admin-routes.ts')?.layer).toBe('server');
      expect(backward('src/customers/routes.ts', "import { customerData } from '../access/customer-data.ts';")).toEqual([]);
      expect(backward('src/audit/record.ts', "// never: import { x } from '../server/app.ts'\n/* nor '../cli/main.ts' */")).toEqual([]);
    });

    it('finds a cycle between two capability folders', () => {
      const edges = [
        ...edgesOf('src/access/statement-gate.ts', "import { notifyAccess } from '../customers/access-notifications.ts';"),
        ...edgesOf('src/customers/history.ts', "import type { PurposeCatalogue } from '../access/purposes.ts';"),
      ];
      expect(folderCycles(edges)).toEqual(['access → customers → access']);
      expect(folderCycles(edges.slice(0, 1))).toEqual([]);
    });
  });
});
