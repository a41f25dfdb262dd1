import { describe, expect, it } from 'vitest';
import { autoDismissMs, nextUpdatePhase, updateMessage, type UpdateEvent, type UpdatePhase } from '../../../../src/app/pwa/update-state';

/** Run events from `start` and collect the phases and effects along the way. */
function run(events: UpdateEvent[], start: UpdatePhase = 'none') {
  let phase = start;
  const effects: string[] = [];
  for (const event of events) {
    const next = nextUpdatePhase(phase, event);
    phase = next.phase;
    effects.push(...next.effects);
  }
  return { phase, effects };
}

describe('update prompt state', () => {
  it('closes the "installed for offline use" note by itself, never a pending update (issue 15: the toast stayed and covered results)', () => {
    expect(autoDismissMs('offline-ready')).toBeGreaterThan(0);
    expect(autoDismissMs('update-ready')).toBeNull();
    expect(autoDismissMs('activated-elsewhere')).toBeNull();
    expect(autoDismissMs('applying')).toBeNull();
  });

  it('announces offline readiness after the first install, and nothing when it takes control', () => {
    expect(run([{ type: 'installed', firstInstall: true }, { type: 'controlling', firstClaim: true }])).toEqual({ phase: 'offline-ready', effects: [] });
  });

  it('offers a new version when one is waiting, and asks it to activate only when the user accepts', () => {
    const waiting = run([{ type: 'installed', firstInstall: false }, { type: 'waiting' }]);
    expect(waiting).toEqual({ phase: 'update-ready', effects: [] });
    expect(run([{ type: 'accept' }], waiting.phase)).toEqual({ phase: 'applying', effects: ['skip-waiting'] });
  });

  it('reloads once the accepted version controls the page, even on a first visit', () => {
    expect(run([{ type: 'waiting' }, { type: 'accept' }, { type: 'controlling', firstClaim: true }])).toEqual({ phase: 'applying', effects: ['skip-waiting', 'reload'] });
    expect(run([{ type: 'waiting' }, { type: 'accept' }, { type: 'controlling', firstClaim: false }]).effects).toEqual(['skip-waiting', 'reload']);
  });

  it('never reloads on its own when another tab activates the new version', () => {
    const elsewhere = run([{ type: 'waiting' }, { type: 'controlling', firstClaim: false }]);
    expect(elsewhere).toEqual({ phase: 'activated-elsewhere', effects: [] });
    expect(updateMessage(elsewhere.phase)).toContain('new version');
    // The user still decides; accepting reloads straight away since the new worker already serves the tab.
    expect(run([{ type: 'accept' }], elsewhere.phase)).toEqual({ phase: 'applying', effects: ['reload'] });
  });

  it('notices another tab activating an update even after the banner was dismissed', () => {
    expect(run([{ type: 'waiting' }, { type: 'dismiss' }, { type: 'controlling', firstClaim: false }]).phase).toBe('activated-elsewhere');
  });

  it('hides the banner on dismiss and shows it again for the next waiting version', () => {
    expect(run([{ type: 'waiting' }, { type: 'dismiss' }])).toEqual({ phase: 'none', effects: [] });
    expect(run([{ type: 'waiting' }, { type: 'dismiss' }, { type: 'waiting' }]).phase).toBe('update-ready');
    expect(run([{ type: 'installed', firstInstall: true }, { type: 'dismiss' }]).phase).toBe('none');
  });

  it('ignores clicks that do not apply and keeps applying once started', () => {
    expect(run([{ type: 'accept' }])).toEqual({ phase: 'none', effects: [] });
    expect(run([{ type: 'accept' }], 'offline-ready')).toEqual({ phase: 'offline-ready', effects: [] });
    expect(run([{ type: 'dismiss' }, { type: 'waiting' }], 'applying')).toEqual({ phase: 'applying', effects: [] });
    // A later update's install does not claim "offline-ready" over a pending update.
    expect(run([{ type: 'installed', firstInstall: true }], 'update-ready').phase).toBe('update-ready');
  });

  it('has a message for every visible phase and none when idle', () => {
    expect(updateMessage('none')).toBeNull();
    expect(updateMessage('update-ready')).toBe('A new version of Epoxy is ready.');
    expect(updateMessage('offline-ready')).toMatch(/offline/);
    expect(updateMessage('applying')).toMatch(/Updating/);
  });
});
