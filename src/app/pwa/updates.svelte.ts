import { autoDismissMs, nextUpdatePhase, updateMessage, type LifecycleEvent, type UpdateEvent, type UpdatePhase } from './update-state';
import { errorMessage } from '../../util/errors';

/** The service worker as the update prompt sees it (./service-worker.ts wraps workbox-window; tests fake it). */
export interface ServiceWorkerHost {
  /** Report lifecycle events, including a worker that was already waiting when the page loaded. */
  subscribe(listener: (event: LifecycleEvent) => void): void;
  register(): Promise<unknown>;
  /** Ask the waiting worker to activate. */
  skipWaiting(): void;
  /** Ask the server whether a new version was deployed. */
  checkForUpdate(): Promise<unknown>;
}

/** How often an open tab looks for a new deployment (browsers also check on every navigation). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** The "new version ready" prompt: registers the service worker and turns its lifecycle into one phase. */
export class UpdatePrompt {
  phase = $state<UpdatePhase>('none');
  /** Why registration failed (the app still works online; it just is not installed for offline use). */
  error = $state<string | null>(null);
  readonly message = $derived(updateMessage(this.phase));

  constructor(
    private readonly host: ServiceWorkerHost | null,
    private readonly reload: () => void = () => location.reload(),
  ) {}

  /** Register the service worker and listen to it; returns the function that stops the periodic update check. */
  start(): () => void {
    const host = this.host;
    if (!host) return () => {};
    host.subscribe((event) => this.dispatch(event));
    host.register().catch((err: unknown) => { this.error = errorMessage(err); });
    const timer = setInterval(() => host.checkForUpdate().catch(() => { /* offline: try again next time */ }), UPDATE_CHECK_MS);
    return () => clearInterval(timer);
  }

  /** The user clicked Reload. */
  accept(): void {
    this.dispatch({ type: 'accept' });
  }

  /** The user closed the banner; a waiting version activates once every Epoxy tab is closed. */
  dismiss(): void {
    this.dispatch({ type: 'dismiss' });
  }

  /** The user acknowledged that offline install failed. */
  dismissError(): void {
    this.error = null;
  }

  private dispatch(event: UpdateEvent): void {
    const { phase, effects } = nextUpdatePhase(this.phase, event);
    const changed = phase !== this.phase;
    this.phase = phase;
    const after = autoDismissMs(phase);
    if (changed && after !== null) setTimeout(() => { if (this.phase === phase) this.dismiss(); }, after);
    for (const effect of effects) {
      if (effect === 'skip-waiting') this.host?.skipWaiting();
      else this.reload();
    }
  }
}
