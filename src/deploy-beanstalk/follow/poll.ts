import * as core from '@actions/core'
import { awsErrorInfo, describeError } from '../../common/errors.js'
import { Heartbeat } from '../../common/heartbeat.js'
import { poll, type Deadline } from '../../common/retry.js'

/**
 * How Beanstalk is polled: the schedule (pure), transient faults, and the Poller that runs rounds on it.
 *
 * The poll schedule while following an update: about 2 s right after something changed (a new event, a
 * status or health change), slower while nothing changes, slower again after throttling, and never more
 * than 18 polling calls in any 60 s window (so with the one-off calls, about 20 a minute at most). Pure: time and history are passed in.
 */
export const POLL_POLICY = {
  fastMs: 2_000,
  /** How long after a change polling stays fast. */
  fastForMs: 10_000,
  mediumMs: 3_000,
  mediumForMs: 60_000,
  slowMs: 5_000,
  /** The longest delay, also under throttling. */
  maxMs: 30_000,
  /** Polling calls in any 60 s window (look-up, create and update calls come on top: a few per deploy). */
  budgetPerMinute: 18,
  /** From this many calls in the window on, the rest of the budget is spread out (see paceDelay). */
  paceAbove: 12,
  windowMs: 60_000
} as const

export interface ScheduleInput {
  now: number
  /** When the last change was seen (or the update was requested). */
  lastChangeAt: number
  /** When each recent Beanstalk call was made (any order). */
  recentCalls: readonly number[]
  /** How many calls the next round will make. */
  callsNextRound: number
  /** Rounds in a row that hit throttling (0 when the last round was clean). */
  throttledRounds: number
}

/** The base delay for how long nothing has changed, doubled per throttled round. */
export function baseDelay(sinceChangeMs: number, throttledRounds: number): number {
  const p = POLL_POLICY
  const tier = sinceChangeMs < p.fastForMs ? p.fastMs : sinceChangeMs < p.mediumForMs ? p.mediumMs : p.slowMs
  return Math.min(p.maxMs, tier * Math.pow(2, Math.min(throttledRounds, 8)))
}

/**
 * The earliest time at or after `earliest` when `calls` more calls keep every 60 s window within the budget.
 */
export function budgetTime(earliest: number, recentCalls: readonly number[], calls: number): number {
  const { budgetPerMinute, windowMs } = POLL_POLICY
  const sorted = [...recentCalls].sort((a, b) => a - b)
  // Calls still inside the window at `earliest`; all of them are at or before `earliest`.
  const inWindow = sorted.filter(time => time > earliest - windowMs)
  const mustDrop = inWindow.length + calls - budgetPerMinute
  if (mustDrop <= 0) return earliest
  // Wait until the mustDrop-th oldest call in the window has left it.
  return inWindow[Math.min(mustDrop, inWindow.length) - 1] + windowMs
}

/**
 * Once the window holds `paceAbove` calls, the slots left in it are spread evenly until its oldest call
 * leaves, so the budget is never spent in a burst and then waited out: the pace converges to the budget's
 * steady rate (3 s a call) without long stalls.
 */
export function paceDelay(now: number, recentCalls: readonly number[], calls: number): number {
  const { budgetPerMinute, windowMs, paceAbove } = POLL_POLICY
  const inWindow = recentCalls.filter(time => time > now - windowMs).sort((a, b) => a - b)
  if (inWindow.length < paceAbove) return 0
  const free = budgetPerMinute - inWindow.length
  if (free < calls) return 0 // full: budgetTime waits for room
  const untilOldestLeaves = inWindow[0] + windowMs - now
  return Math.round((untilOldestLeaves * calls) / free)
}

/** The delay before the next round, in ms. */
export function nextPollDelay(input: ScheduleInput): number {
  const base = baseDelay(Math.max(0, input.now - input.lastChangeAt), input.throttledRounds)
  const delay = Math.max(base, paceDelay(input.now, input.recentCalls, input.callsNextRound))
  const at = budgetTime(input.now + delay, input.recentCalls, input.callsNextRound)
  return at - input.now
}

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
 * Runs polling rounds on the adaptive schedule above (through common/retry.ts's `poll`) until a round returns
 * a value or the deadline passes (then undefined). A round says when it saw a change; transient faults slow the
 * schedule down.
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
    this.pulse?.heartbeat.printed()
  }

  private pulse: { heartbeat: Heartbeat; status: () => string } | undefined

  /** A heartbeat line at least every 30 s of this wait: what, elapsed, left, and `status()`. */
  heartbeat(what: string, status: () => string): this {
    this.pulse = { heartbeat: new Heartbeat(what, this.deadline), status }
    return this
  }

  async run<T>(
    round: () => Promise<T | undefined>,
    callsPerRound: number | (() => number)
  ): Promise<T | undefined> {
    const result = await poll<T>(
      async () => {
        const before = this.gateway.callCount
        try {
          const value = await round()
          this.throttledRounds = 0
          if (value !== undefined) return { done: true, value }
        } catch (error) {
          if (!isTransient(error)) throw error
          this.throttledRounds++
          core.info(`Beanstalk is busy (${describeError(error)}): polling more slowly.`)
        } finally {
          this.record(before)
        }
        this.pulse?.heartbeat.beat(this.pulse.status())
        const delayMs = nextPollDelay({
          now: this.deadline.clock.now(),
          lastChangeAt: this.lastChangeAt,
          // the polling calls (SDK retries included) pace the schedule; the gateway's hard cap holds every
          // request, look-ups included, to 20 in any 60 s
          recentCalls: this.gateway.pollTimes,
          callsNextRound: typeof callsPerRound === 'number' ? callsPerRound : callsPerRound(),
          throttledRounds: this.throttledRounds
        })
        core.debug(`next poll in ${delayMs}ms`)
        return { done: false, delayMs }
      },
      { deadline: this.deadline }
    )
    return result
  }
}
