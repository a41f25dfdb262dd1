import { SW_MESSAGE } from '../../sw/protocol';
import type { LifecycleEvent } from './update-state';
import type { ServiceWorkerHost } from './updates.svelte';

/**
 * The app's service worker (built from src/sw/ by vite-plugin-pwa), or null where there is none: browsers
 * without service workers, and `vite dev`, which serves no built worker.
 */
export function appServiceWorker(): ServiceWorkerHost | null {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  const base = import.meta.env.BASE_URL;
  return new BrowserServiceWorker(navigator.serviceWorker, `${base}sw.js`, base);
}

/**
 * The service worker lifecycle straight from the platform API. (workbox-window was the other option; its
 * heuristics treat an update found more than a minute after page load as "external" and then stop
 * watching the registration, so a second deployment during a long session would go unnoticed.)
 */
class BrowserServiceWorker implements ServiceWorkerHost {
  private registration: ServiceWorkerRegistration | null = null;
  private listener: (event: LifecycleEvent) => void = () => {};
  private hadController: boolean;

  constructor(private readonly container: ServiceWorkerContainer, private readonly url: string, private readonly scope: string) {
    this.hadController = container.controller !== null;
  }

  subscribe(listener: (event: LifecycleEvent) => void): void {
    this.listener = listener;
  }

  async register(): Promise<unknown> {
    this.container.addEventListener('controllerchange', () => {
      const firstClaim = !this.hadController;
      this.hadController = true;
      this.listener({ type: 'controlling', firstClaim });
    });
    const registration = await this.container.register(this.url, { scope: this.scope });
    this.registration = registration;
    // A version installed by an earlier visit or another tab may already be waiting for this page.
    if (registration.waiting && registration.active) this.listener({ type: 'waiting' });
    if (registration.installing) this.watch(registration.installing);
    registration.addEventListener('updatefound', () => {
      if (registration.installing) this.watch(registration.installing);
    });
    return registration;
  }

  skipWaiting(): void {
    this.registration?.waiting?.postMessage({ type: SW_MESSAGE.skipWaiting });
  }

  async checkForUpdate(): Promise<unknown> {
    return this.registration?.update();
  }

  private watch(worker: ServiceWorker): void {
    worker.addEventListener('statechange', () => {
      if (worker.state !== 'installed') return;
      // With an active worker already serving, the new one waits for the user; without one, this was the first install.
      const isUpdate = this.registration?.active != null && this.registration.active !== worker;
      this.listener(isUpdate ? { type: 'waiting' } : { type: 'installed', firstInstall: true });
    });
  }
}
