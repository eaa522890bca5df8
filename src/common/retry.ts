/**
 * The one home of "how requests are retried, paced and timed", for every action (the parts are in retry/):
 * - clock.ts: the injected `Clock` and the `Deadline` (time is read nowhere else, so schedules test on a fake clock);
 * - backoff.ts: exponential backoff with jitter, `Retry-After`, the per-request timeout under a deadline;
 * - loop.ts: `poll`, the one waiting loop, and `retry` on it;
 * - budget.ts: the hard cap on requests per window (`CallBudget`), and the pace that spreads a window's requests;
 * - transient.ts: which faults are worth another try (throttling, 5xx, connection faults);
 * - sdk.ts: the AWS SDK's retry strategy waiting on our clock.
 * The actions keep only their numbers (a policy object next to the code that uses it).
 */
export {
  backoffDelay,
  parseRetryAfter,
  requestTimeout,
  withRetryAfter,
  type BackoffOptions
} from './retry/backoff.js'
export { CallBudget, MAX_SILENT_WAIT_MS, paceDelay, windowSlotAt, type Window } from './retry/budget.js'
export { Deadline, systemClock, type Clock } from './retry/clock.js'
export { poll, retry, type PollResult, type RetryOptions } from './retry/loop.js'
export { ClockRetryStrategy } from './retry/sdk.js'
export { isThrottling, isTransient } from './retry/transient.js'
