/**
 * The scheduler's browser-wide names, one per thing (they were all "epoxy-scheduler"). The queue database keeps
 * its old name: renaming it would strand the runs stored in it.
 */
export const SCHEDULER_NAMES = {
  /** IndexedDB database of the durable queue. */
  queueDatabase: 'epoxy-scheduler',
  /** BroadcastChannel on which a tab or the service worker says the queue changed (wakes the executor). */
  changesChannel: 'epoxy-scheduler-changes',
  /** Web Lock held by the one tab that executes runs. */
  executorLock: 'epoxy-executor',
  /** Periodic Background Sync tag that wakes the service worker's dispatcher. */
  periodicSyncTag: 'epoxy-scheduler-dispatch',
  /** The tag of the "scheduled runs are waiting" notification (a newer one replaces an older one). */
  waitingNotificationTag: 'epoxy-scheduler-waiting',
} as const;

/** The periodic sync tag registered before the names were split; unregistered on sight. */
export const LEGACY_PERIODIC_SYNC_TAG = 'epoxy-scheduler';

/** The one message on the changes channel. */
export interface QueueChangedMessage { type: 'changed' }
