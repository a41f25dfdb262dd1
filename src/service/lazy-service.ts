/**
 * An object whose every method waits for `service` and then calls the same method on it. A worker exposes
 * this at once (so no message the page sends early is lost) while its real service is still being imported.
 */
export function lazyService<T extends object>(service: Promise<T>): T {
  return new Proxy({} as T, {
    get(_target, name) {
      // Not thenable: awaiting the proxy must not look like awaiting a promise.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const method = (await service)[name as keyof T];
        if (typeof method !== 'function') throw new Error(`the engine has no operation "${name}"`);
        return method.apply(await service, args);
      };
    },
  });
}
