import type { Remote } from 'comlink';
import type { Catalog } from '../../catalog';
import type { EngineWorkerApi } from '../../service/protocol';
import type { JobRunEnv } from '../../jobs/run';
import type { ResolvedFile } from '../../jobs/sources';
import { redactUrl } from '../../sources/presigned';
import { inScope, scopedCatalog, type RunScope } from '../../share/review';
import { browserJobEnv } from '../jobs/browser-env';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The environment of a shared job's run: it lists only the inputs the user bound (and the bytes handed over
 * for Workspace tables), writes only the targets as the user decided them, and reaches the catalog only
 * through `scopedCatalog`. Everything else is refused with a message naming it.
 */
export function sharedRunEnv(engine: Remote<EngineWorkerApi>, catalog: Catalog, scope: RunScope, handed: Record<string, ResolvedFile[]>): JobRunEnv {
  const scoped = scopedCatalog(catalog, scope);
  const base = browserJobEnv(engine, scoped);
  return {
    engine,
    catalog: scoped,
    async listFiles(location) {
      if (!inScope(scope, location)) throw new Error(`this run reads only the inputs you gave it, not ${redactUrl(location)}`);
      return handed[location] ?? base.listFiles(location);
    },
    async writeFiles(node, files) {
      const decided = scope.targets[node.id];
      if (!decided || !same(decided, node.target)) throw new Error(`${node.id}: this run writes only where you decided`);
      return base.writeFiles(node, files);
    },
    // Workspace targets are published as versions, like the user's own jobs; the same decision check first.
    outputs: {
      store: base.outputs!.store,
      async folder(node) {
        const decided = scope.targets[node.id];
        if (!decided || !same(decided, node.target)) throw new Error(`${node.id}: this run writes only where you decided`);
        return base.outputs!.folder(node);
      },
    },
  };
}
