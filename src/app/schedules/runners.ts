import type { Catalog } from '../../catalog';
import { schedulerCrawlerRunner } from '../../crawler/runs';
import type { Runner } from '../../scheduler/runtime';
import { browserCrawlEnv } from '../crawlers/crawl-env';

/**
 * Run a crawler for the scheduler over the data its target points at. Dropped files exist only in the
 * session that dropped them: when they are gone, the run fails with what to do (not a retryable error).
 */
export function crawlerRunner(catalog: Catalog): Runner {
  return schedulerCrawlerRunner(catalog, browserCrawlEnv());
}
