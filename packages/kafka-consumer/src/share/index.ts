export type { DescribedMember, DescribedShareGroup } from './describe-api.js';
export type { FetcherLimits } from './fetcher.js';
export type { ShareRecord } from './records.js';
export type { AcknowledgeOutcome, ShareSession, ShareSessionOptions } from './session.js';
export { openShareSession } from './session.js';
