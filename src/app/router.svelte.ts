/** Parse `#/view/rest...` into the view name; unknown or empty hashes go to the workspace. */
export function viewFromHash(hash: string, fallback = 'workspace'): string {
  const match = /^#\/([a-z-]+)/.exec(hash);
  return match ? match[1]! : fallback;
}

/** Hash-based routing (works offline and from a file-less PWA shell; share links use the fragment too). */
export class Router {
  view = $state(viewFromHash(typeof location === 'undefined' ? '' : location.hash));
  /** The part of the hash after the view, e.g. `#/catalog/db/table` -> `db/table`. */
  rest = $state('');

  /** Follow hash changes; returns the unsubscribe function. */
  listen(): () => void {
    const update = () => {
      this.view = viewFromHash(location.hash);
      this.rest = location.hash.replace(/^#\/[a-z-]+\/?/, '');
    };
    update();
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }

  go(view: string, rest = ''): void {
    location.hash = `#/${view}${rest ? '/' + rest : ''}`;
  }
}
