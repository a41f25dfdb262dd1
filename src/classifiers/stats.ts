import type { ClassifierResult, Sample } from './types';

/**
 * Record count and average size from a sample: exact when the sample is the whole file,
 * else extrapolated from the bytes the counted records took.
 */
export function estimateCount(records: number, bytesOfRecords: number, sample: Sample): Pick<ClassifierResult, 'recordCount' | 'recordCountEstimated' | 'averageRecordSize'> {
  if (records === 0) return { recordCount: 0 };
  const averageRecordSize = Math.max(1, Math.round(bytesOfRecords / records));
  if (sample.complete) return { recordCount: records, averageRecordSize };
  return { recordCount: Math.max(records, Math.round(sample.totalSize / averageRecordSize)), recordCountEstimated: true, averageRecordSize };
}
