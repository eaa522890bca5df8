/**
 * An account-wide token bucket, as AWS limits Beanstalk's API per account and region for every caller together
 * (one support reply quoted DescribeEnvironments/DescribeEvents at 2 requests/s, burst 15). The sandbox is one
 * server for every process that talks to it, so all clients pointed at it share this bucket: N deploys at once
 * compete for it as N workflows in one account do. A request that finds the bucket empty is refused Throttling
 * ("Rate exceeded") and takes no token.
 */
export interface AccountBucketSpec {
  /** Tokens added per second. */
  perSecond: number
  /** The bucket's size (and its content at the start). */
  burst: number
}

export class TokenBucket {
  private tokens: number
  private at: number
  /** Requests let through and refused, for the bench and tests. */
  taken = 0
  refused = 0

  constructor(
    readonly spec: AccountBucketSpec,
    private readonly now: () => number
  ) {
    this.tokens = spec.burst
    this.at = now()
  }

  /** Takes a token when there is one (true), else counts a refusal (false). */
  take(): boolean {
    const now = this.now()
    this.tokens = Math.min(this.spec.burst, this.tokens + ((now - this.at) / 1000) * this.spec.perSecond)
    this.at = now
    if (this.tokens >= 1) {
      this.tokens -= 1
      this.taken++
      return true
    }
    this.refused++
    return false
  }
}
