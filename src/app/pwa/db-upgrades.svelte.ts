import { onDatabaseUpgrade } from '../../storage/db-upgrades';
import { applyUpgradeEvent, type UpgradeNotice } from './db-upgrade-notices';

/** What the app says about upgrades of its IndexedDB databases, whichever view opened them. */
export class DatabaseUpgrades {
  notices = $state.raw<UpgradeNotice[]>([]);

  /** Follow the databases' upgrade reports; returns the stop function. */
  start(): () => void {
    return onDatabaseUpgrade((event) => { this.notices = applyUpgradeEvent(this.notices, event); });
  }
}
