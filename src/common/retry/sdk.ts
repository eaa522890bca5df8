import { backoffDelay } from './backoff.js'
import type { Clock } from './clock.js'

interface RetryToken {
  getRetryCount(): number
  getRetryDelay(): number
}

/**
 * The SDK's retry strategy (RetryStrategyV2), waiting on our clock: throttling, transient faults (resets,
 * timeouts, unreadable read responses) and 5xx retried with capped exponential backoff and jitter
 * (throttling from 500 ms, others from 100 ms, at most 20 s), up to `maxAttempts` tries; anything else thrown.
 */
export class ClockRetryStrategy {
  readonly mode = 'standard'
  constructor(
    private readonly maxAttempts: number,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random
  ) {}

  private token(count: number): RetryToken {
    return { getRetryCount: () => count, getRetryDelay: () => 0 }
  }

  acquireInitialRetryToken(): Promise<RetryToken> {
    return Promise.resolve(this.token(0))
  }

  async refreshRetryTokenForRetry(
    token: RetryToken,
    errorInfo: { errorType: string; retryAfterHint?: Date }
  ): Promise<RetryToken> {
    const attempt = token.getRetryCount() + 1
    if (attempt >= this.maxAttempts || errorInfo.errorType === 'CLIENT_ERROR') {
      throw new Error('no more retries')
    }
    const throttled = errorInfo.errorType === 'THROTTLING'
    const delay = backoffDelay(attempt, { baseMs: throttled ? 500 : 100, maxMs: 20_000 }, this.random)
    await this.clock.sleep(delay)
    return this.token(attempt)
  }

  recordSuccess(): void {}
}
