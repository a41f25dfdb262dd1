import type { Catalog } from './store';

/** Message other tabs receive after a commit. */
export interface SyncMessage { type: 'catalog-changed'; changed: string[] }

/**
 * Keep tabs consistent: after each commit here, tell other tabs (BroadcastChannel) what changed; when another
 * tab commits, call `onRemoteChange` so this tab re-reads. Schema upgrades are handled by the store's
 * versionchange handling (it closes and reopens its connection). Returns the stop function.
 */
export function syncCatalog(catalog: Catalog, onRemoteChange: (changed: string[]) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(`epoxy-catalog:${catalog.name}`);
  channel.onmessage = (event: MessageEvent<SyncMessage>) => {
    if (event.data?.type === 'catalog-changed') onRemoteChange(event.data.changed);
  };
  const off = catalog.onCommit((result) => channel.postMessage({ type: 'catalog-changed', changed: result.changed } satisfies SyncMessage));
  return () => { off(); channel.close(); };
}
