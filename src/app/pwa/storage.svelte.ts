import { summarizeUsage, type Persistence, type StorageHost, type UsageSummary } from './storage';

/** Storage persistence and usage, as the header's storage indicator shows them. */
export class StorageStatus {
  persistence = $state<Persistence>('checking');
  usage = $state<number | undefined>(undefined);
  quota = $state<number | undefined>(undefined);
  readonly summary: UsageSummary = $derived(summarizeUsage(this.usage, this.quota));

  constructor(private readonly host: StorageHost | undefined) {}

  /** Ask for persistent storage once at start (Chromium decides silently; Firefox asks the user) and measure usage. */
  async start(): Promise<void> {
    await Promise.all([this.requestPersistence(), this.refresh()]);
  }

  /** Request persistence unless already granted; the result is shown as is, refusals included. */
  async requestPersistence(): Promise<void> {
    const host = this.host;
    if (!host?.persist || !host.persisted) {
      this.persistence = 'unsupported';
      return;
    }
    try {
      const granted = (await host.persisted()) || (await host.persist());
      this.persistence = granted ? 'persistent' : 'best-effort';
    } catch {
      this.persistence = 'best-effort';
    }
  }

  /** Re-read usage and quota (cheap; called when the indicator opens). */
  async refresh(): Promise<void> {
    if (!this.host?.estimate) return;
    try {
      const { usage, quota } = await this.host.estimate();
      this.usage = usage;
      this.quota = quota;
    } catch {
      // Some browsers reject estimate() in private windows: keep "usage unknown".
    }
  }
}
