/**
 * The update prompt as a pure state machine, so every path (first install, update waiting, accepted,
 * dismissed, another tab activating the update) is unit-tested without a service worker.
 *
 * - `none`: nothing to say (no service worker yet, or running the newest version).
 * - `offline-ready`: the first install finished; the app now works with no network. Dismissible.
 * - `update-ready`: a new version is installed and waiting; it activates only when the user says so.
 * - `applying`: the user clicked Reload; we asked the new worker to take over and reload when it has.
 * - `activated-elsewhere`: another tab activated the new version; this tab still runs the old code and should
 *   be reloaded when convenient (we still never reload on our own).
 */
export type UpdatePhase = 'none' | 'offline-ready' | 'update-ready' | 'applying' | 'activated-elsewhere';

/**
 * What the service worker did. `firstInstall`: no service worker controlled the page when this one
 * installed. `firstClaim`: the page had no controller before this change (the first install claiming it).
 */
export type LifecycleEvent =
  | { type: 'installed'; firstInstall: boolean }
  | { type: 'waiting' }
  | { type: 'controlling'; firstClaim: boolean };

/** Lifecycle events and what the user did. */
export type UpdateEvent = LifecycleEvent | { type: 'accept' } | { type: 'dismiss' };

/** Side effects the caller performs: tell the waiting worker to activate, or reload the page. */
export type UpdateEffect = 'skip-waiting' | 'reload';

export interface UpdateTransition {
  phase: UpdatePhase;
  effects: UpdateEffect[];
}

/** Next phase and effects after `event`. The page reloads only after the user accepted an update. */
export function nextUpdatePhase(phase: UpdatePhase, event: UpdateEvent): UpdateTransition {
  const stay: UpdateTransition = { phase, effects: [] };
  switch (event.type) {
    case 'installed':
      // An update's "installed" is followed by "waiting"; only the very first install means "offline-ready".
      return event.firstInstall && phase === 'none' ? { phase: 'offline-ready', effects: [] } : stay;
    case 'waiting':
      return phase === 'applying' ? stay : { phase: 'update-ready', effects: [] };
    case 'controlling':
      if (phase === 'applying') return { phase, effects: ['reload'] };
      // The first install taking control changes nothing for the user; any later change means a new
      // version now serves this tab, which still runs the old code.
      return event.firstClaim ? stay : { phase: 'activated-elsewhere', effects: [] };
    case 'accept':
      if (phase === 'update-ready') return { phase: 'applying', effects: ['skip-waiting'] };
      if (phase === 'activated-elsewhere') return { phase: 'applying', effects: ['reload'] };
      return stay;
    case 'dismiss':
      return phase === 'applying' ? stay : { phase: 'none', effects: [] };
  }
}

/** The banner's message for a phase, or null when there is nothing to show. */
export function updateMessage(phase: UpdatePhase): string | null {
  switch (phase) {
    case 'none':
      return null;
    case 'offline-ready':
      return 'Epoxy is installed for offline use: it now starts with no network.';
    case 'update-ready':
    case 'activated-elsewhere':
      return 'A new version of Epoxy is ready.';
    case 'applying':
      return 'Updating Epoxy…';
  }
}

/**
 * How long a phase's banner stays before it closes itself, or null to wait for the user. "Installed for
 * offline use" is news, not a question: it goes away after a few seconds instead of covering results.
 */
export function autoDismissMs(phase: UpdatePhase): number | null {
  return phase === 'offline-ready' ? 8000 : null;
}
