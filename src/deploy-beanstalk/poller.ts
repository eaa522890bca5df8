import * as core from '@actions/core'
import { awsErrorInfo, describeError } from '../common/errors.js'
import type { Deadline } from '../common/retry.js'
import { nextPollDelay } from './schedule.js'

/** Throttling, 5xx and connection faults that outlived the SDK's own retries: slow down and poll again. */
export function isTransient(error: unknown): boolean {
  const info = awsErrorInfo(error)
  if (info) {
    if (
      /Throttl|RequestLimitExceeded|TooManyRequests|ServiceUnavailable|InternalFailure|InternalError|SlowDown/i.test(
        info.code
      )
    ) {
      return true
    }
    return (info.httpStatus ?? 0) >= 500 || (error as { $fault?: string }).$fault === 'server'
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    return (
      /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN/.test(code) ||
      /socket hang up|TimeoutError/i.test(`${error.name} ${error.message}`)
    )
  }
  return false
}

/**
 * Runs polling rounds on the adaptive schedule (schedule.ts) until a round returns a value or the deadline
 * passes (then undefined). A round says when it saw a change; transient faults slow the schedule down.
 */
export class Poller {
  private lastChangeAt: number
  private throttledRounds = 0

  constructor(
    private readonly deadline: Deadline,
    private readonly gateway: { callCount: number; pollTimes: number[] }
  ) {
    this.lastChangeAt = deadline.clock.now()
  }

  private record(before: number): void {
    const now = this.deadline.clock.now()
    for (let i = before; i < this.gateway.callCount; i++) this.gateway.pollTimes.push(now)
    const old = this.gateway.pollTimes.findIndex(time => time > now - 120_000)
    if (old > 0) this.gateway.pollTimes.splice(0, old)
  }

  changed(): void {
    this.lastChangeAt = this.deadline.clock.now()
  }

  async run<T>(
    round: () => Promise<T | undefined>,
    callsPerRound: number | (() => number)
  ): Promise<T | undefined> {
    for (;;) {
      const before = this.gateway.callCount
      try {
        const value = await round()
        this.throttledRounds = 0
        if (value !== undefined) return value
      } catch (error) {
        if (!isTransient(error)) throw error
        this.throttledRounds++
        core.info(`Beanstalk is busy (${describeError(error)}): polling more slowly.`)
      } finally {
        this.record(before)
      }
      if (this.deadline.expired()) return undefined
      const delay = nextPollDelay({
        now: this.deadline.clock.now(),
        lastChangeAt: this.lastChangeAt,
        recentCalls: this.gateway.pollTimes,
        callsNextRound: typeof callsPerRound === 'number' ? callsPerRound : callsPerRound(),
        throttledRounds: this.throttledRounds
      })
      core.debug(`next poll in ${delay}ms`)
      await this.deadline.sleep(delay)
      if (this.deadline.expired()) {
        // One last look at the deadline itself, so a change in the final seconds is not missed.
        try {
          const value = await round()
          if (value !== undefined) return value
        } catch (error) {
          if (!isTransient(error)) throw error
        }
        return undefined
      }
    }
  }
}
