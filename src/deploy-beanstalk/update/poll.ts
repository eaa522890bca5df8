import * as core from '@actions/core'
import { DeadlineReached, describeError } from '../../common/errors.js'
import { Heartbeat } from '../../common/heartbeat.js'
import { isTransient, poll, type Deadline } from '../../common/retry.js'
import { debug } from '../../common/log.js'

/**
 * How Beanstalk is polled: the schedule (pure), transient faults, and the Poller that runs rounds on it.
 *
 * The poll schedule while waiting on Beanstalk: about 2 s right after something changed (a new event, a status
 * or health change), 3 s while nothing changes, slower after throttling, and paced against every Beanstalk
 * request of the step (look-ups, uploads' version calls, SDK retries: the hard cap's own record), so that no
 * 60 s window ever needs more than the 20 requests the hard cap allows (aws/beanstalk.ts): the schedule spreads
 * what is left of the window instead of running into the cap and stalling until a minute has passed.
 * Pure: time and history are passed in.
 */
export const POLL_POLICY = {
  fastMs: 2_000,
  /** How long after a change polling stays fast. */
  fastForMs: 10_000,
  steadyMs: 3_000,
  /** The longest delay, also under throttling. */
  maxMs: 30_000,
  /** Beanstalk requests in any window: the hard cap's (BEANSTALK_REQUESTS_PER_MINUTE). */
  budgetPerMinute: 20,
  /** The hard cap's window: a minute and a second of margin. */
  windowMs: 61_000,
  /**
   * How many requests ahead the pace keeps room for (see paceDelay): 2 fewer than the budget, so a round that
   * reads the events too never waits for the window (`npm run bench` measured 16, 18 and 20: 18 gave the
   * lowest detection latency from a minute on).
   */
  paceAhead: 18,
  /**
   * When earlier updates of the environment tell when this one should end (history.ts): every second from a
   * little before that until a little after (`nearLeadMs`/`nearLagMs`, or the durations' spread if wider), and
   * before it at most every `farMs`, which keeps the window's requests for the end.
   */
  nearMs: 1_000,
  nearLeadMs: 2_000,
  nearLagMs: 4_000,
  farMs: 8_000
} as const

export interface ScheduleInput {
  now: number
  /** When the last change was seen (or the update was requested). */
  lastChangeAt: number
  /** When each recent Beanstalk request was sent, every one (any order). */
  recentCalls: readonly number[]
  /** How many calls the next round will make. */
  callsNextRound: number
  /** Rounds in a row that hit throttling (0 when the last round was clean). */
  throttledRounds: number
  /** When the update should end, from the environment's earlier updates (history.ts), and how far off that may be. */
  expectedEnd?: { at: number; spreadMs: number }
}

/** The base delay for how long nothing has changed, doubled per throttled round. */
export function baseDelay(sinceChangeMs: number, throttledRounds: number): number {
  const p = POLL_POLICY
  const tier = sinceChangeMs < p.fastForMs ? p.fastMs : p.steadyMs
  // the gateway's adaptive pace (common/budget.ts) spaces the requests after throttling: the schedule only
  // doubles twice, so a busy account delays detection by seconds, not by half a minute
  return Math.min(p.maxMs, tier * Math.pow(2, Math.min(throttledRounds, 2)))
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
 * Spreads the requests still possible evenly instead of spending them in a burst and then waiting a minute: the
 * delay between rounds is the shortest that lets every coming request fit under the budget once the requests
 * already in the window leave it. With `n` requests in the window (oldest first, t₁ … tₙ), the j-th request from
 * now needs the (n + j − budget)-th of them gone, so a round of `calls` requests every d ms needs
 * now + ⌈j / calls⌉ · d ≥ t₍ₙ₊ⱼ₋budget₎ + window for every such j up to `paceAhead`. After a burst (the look-ups and the version
 * calls before an update) this is a steady round every few seconds rather than rounds at the base pace followed
 * by a stall; in a long wait it converges to the budget's rate (about 3 s a request).
 */
export function paceDelay(now: number, recentCalls: readonly number[], calls: number): number {
  const { budgetPerMinute, windowMs } = POLL_POLICY
  const inWindow = recentCalls.filter(time => time > now - windowMs).sort((a, b) => a - b)
  const n = inWindow.length
  let delay = 0
  for (let j = Math.max(1, budgetPerMinute - n + 1); j <= POLL_POLICY.paceAhead; j++) {
    const mustLeave = n + j - budgetPerMinute // 1-based index of the old request that must have left
    if (mustLeave > n) break
    const leavesAt = inWindow[mustLeave - 1] + windowMs
    delay = Math.max(delay, (leavesAt - now) / Math.ceil(j / Math.max(1, calls)))
  }
  return Math.ceil(delay)
}

/** The delay before the next round, in ms. */
export function nextPollDelay(input: ScheduleInput): number {
  const base = baseDelay(Math.max(0, input.now - input.lastChangeAt), input.throttledRounds)
  let delay = Math.max(base, paceDelay(input.now, input.recentCalls, input.callsNextRound))
  const near = input.expectedEnd && nearWindow(input.expectedEnd)
  if (near && input.now >= near.from && input.now <= near.until) {
    // the update should end about now: look every second (slower after throttling), spreading what the window
    // has left over the rest of the near window, less the two requests of the round that sees the end (the
    // environment, then its last events)
    const { budgetPerMinute, windowMs, nearMs } = POLL_POLICY
    const left = budgetPerMinute - input.recentCalls.filter(time => time > input.now - windowMs).length - 2
    delay = Math.max(
      nearMs * Math.pow(2, Math.min(input.throttledRounds, 2)),
      left > 0 ? (near.until - input.now) / left : delay
    )
  } else if (near && input.now < near.from) {
    // the end is still ahead: look less often, keeping the window's requests for it, but be there when it begins
    delay = Math.min(Math.max(delay, POLL_POLICY.farMs), near.from - input.now)
  }
  const at = budgetTime(input.now + delay, input.recentCalls, input.callsNextRound)
  return at - input.now
}

/** When to look often around an expected end: from a little before it to a little after. Pure. */
export function nearWindow(expectedEnd: { at: number; spreadMs: number }): { from: number; until: number } {
  const { nearLeadMs, nearLagMs } = POLL_POLICY
  return {
    from: expectedEnd.at - Math.max(nearLeadMs, expectedEnd.spreadMs),
    until: expectedEnd.at + Math.max(nearLagMs, expectedEnd.spreadMs)
  }
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
    /** Every Beanstalk request sent so far (the hard cap's record), which the schedule paces against. */
    private readonly gateway: { budget: { readonly sent: readonly number[] } }
  ) {
    this.lastChangeAt = deadline.clock.now()
  }

  /** When the update should end (from the environment's earlier updates): the schedule looks often around it. */
  expectedEnd: { at: number; spreadMs: number } | undefined

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
    try {
      return await this.rounds(round, callsPerRound)
    } catch (error) {
      // The hard cap had no slot before the deadline for a later look: this wait's own timeout, told by its
      // caller with what it saw (the environment still busy, the update not finished, the version not processed).
      // Without one look done there is nothing to tell: the budget's own error says why.
      if (error instanceof DeadlineReached && this.looked) {
        debug(`the last look before the deadline had no request slot: ${error.message}`)
        return undefined
      }
      throw error
    }
  }

  /** A round completed (the wait has seen something to report on a timeout). */
  private looked = false

  private async rounds<T>(
    round: () => Promise<T | undefined>,
    callsPerRound: number | (() => number)
  ): Promise<T | undefined> {
    const result = await poll<T>(
      async () => {
        try {
          const value = await round()
          this.looked = true
          this.throttledRounds = 0
          if (value !== undefined) return { done: true, value }
        } catch (error) {
          if (!isTransient(error)) throw error
          this.throttledRounds++
          core.info(`Beanstalk is busy (${describeError(error)}): polling more slowly.`)
        }
        this.pulse?.heartbeat.beat(this.pulse.status())
        const delayMs = nextPollDelay({
          now: this.deadline.clock.now(),
          lastChangeAt: this.lastChangeAt,
          // every request of the step (look-ups and SDK retries included) paces the schedule, so it keeps
          // below the gateway's hard cap rather than running into it
          recentCalls: this.gateway.budget.sent,
          callsNextRound: typeof callsPerRound === 'number' ? callsPerRound : callsPerRound(),
          throttledRounds: this.throttledRounds,
          expectedEnd: this.expectedEnd
        })
        debug(`next poll in ${delayMs}ms`)
        return { done: false, delayMs }
      },
      { deadline: this.deadline, heartbeat: this.pulse?.heartbeat.pulse(this.pulse.status) }
    )
    return result
  }
}
