/** One phase of the engine's start, in epoch milliseconds (performance.timeOrigin + now), comparable across the page and its workers. */
export interface StartPhase {
  name: string;
  start: number;
  end: number;
}

/** Now, in epoch milliseconds at performance.now() resolution: a worker's and the page's clocks then line up. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Records what the engine's start spends its time on (worker script, wasm fetch, compile, instantiate, open),
 * so the cold start can be broken down where it runs instead of guessed from the outside.
 */
export class StartClock {
  readonly phases: StartPhase[] = [];

  /** Record a phase that already happened. */
  add(name: string, start: number, end = epochNow()): void {
    this.phases.push({ name, start, end });
  }

  /** Time `work` as the phase `name` (recorded when it settles, also when it fails). */
  async time<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const start = epochNow();
    try {
      return await work();
    } finally {
      this.add(name, start);
    }
  }
}
