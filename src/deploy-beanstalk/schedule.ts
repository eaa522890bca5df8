/**
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
