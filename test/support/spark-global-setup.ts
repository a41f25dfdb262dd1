import type { TestProject } from 'vitest/node';
import { startSparkBroker } from './spark-broker';

/**
 * vitest globalSetup: the run's one Spark broker (test/support/spark-broker.ts). Spark itself starts only when
 * a file first asks for it, so a run without Spark files costs a listening socket.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await startSparkBroker();
  project.provide('sparkBroker', broker.address);
  return () => broker.close();
}
