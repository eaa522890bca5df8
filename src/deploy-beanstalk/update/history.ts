import type { BeanstalkEvent } from './events.js'

/**
 * How long this environment's earlier updates took, from its DescribeEvents history, so the poll schedule knows
 * when to look often: an environment's deploys take about as long each time (the same image size, instances and
 * health checks). Pure.
 */

/** How far back the first DescribeEvents of a follow reads (Beanstalk keeps events for six weeks). */
export const HISTORY_MS = 14 * 24 * 3_600_000
/** The most recent updates the expectation is taken from. */
const RECENT = 5

const STARTED = /^Environment update is starting\./
const COMPLETED = /^Environment update completed successfully\./

/**
 * The durations of the updates that completed before `before` (start event to completion event), oldest first.
 * An update that failed, was aborted or has no start in the history is left out.
 */
export function updateDurations(events: readonly BeanstalkEvent[], before: Date): number[] {
  const sorted = events
    .filter(event => event.date.getTime() < before.getTime())
    .sort((a, b) => a.date.getTime() - b.date.getTime())
  const durations: number[] = []
  let startedAt: number | undefined
  for (const event of sorted) {
    if (STARTED.test(event.message)) startedAt = event.date.getTime()
    else if (startedAt !== undefined && COMPLETED.test(event.message)) {
      durations.push(event.date.getTime() - startedAt)
      startedAt = undefined
    } else if (/^Failed to deploy|complete, but with errors|reverted to the previous/.test(event.message))
      startedAt = undefined
  }
  return durations
}

/** When the update is expected to end (ms after it started) and how far off that may be. */
export interface Expectation {
  durationMs: number
  /** How much the recent updates' durations differ (max − min); 0 with one. */
  spreadMs: number
}

/** The median of the last few durations, with their spread; undefined without history. */
export function expectDuration(durations: readonly number[]): Expectation | undefined {
  const recent = durations.slice(-RECENT)
  if (recent.length === 0) return undefined
  const sorted = [...recent].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { durationMs: median, spreadMs: sorted[sorted.length - 1] - sorted[0] }
}
