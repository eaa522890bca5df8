import * as core from '@actions/core'
import { formatDuration } from './format.js'
import type { Deadline } from './retry.js'

/** How often a long wait says it is still alive, at the most. */
export const HEARTBEAT_MS = 30_000

/**
 * The heartbeat of a wait: when nothing was printed for HEARTBEAT_MS (by the heartbeat or by the wait's own
 * progress lines, which call `printed`), one line: what we wait for, elapsed, time left, the current status.
 * Time is the deadline's (injected) clock.
 */
export class Heartbeat {
  private last: number
  constructor(
    private readonly what: string,
    private readonly deadline: Deadline,
    private readonly everyMs = HEARTBEAT_MS,
    private readonly log: (line: string) => void = line => core.info(line)
  ) {
    this.last = deadline.clock.now()
  }

  /** Something about this wait was printed just now. */
  printed(): void {
    this.last = this.deadline.clock.now()
  }

  /** How long until the next line is due (0: due now). */
  dueInMs(): number {
    return Math.max(0, this.last + this.everyMs - this.deadline.clock.now())
  }

  /** The loop's view of this heartbeat (`poll`'s `heartbeat` option): it wakes for a line due during a sleep. */
  pulse(status: () => string): { dueInMs(): number; beat(): void } {
    return { dueInMs: () => this.dueInMs(), beat: () => void this.beat(status()) }
  }

  /** Prints the heartbeat line when it is due; returns whether it did. */
  beat(status: string): boolean {
    const now = this.deadline.clock.now()
    if (now - this.last < this.everyMs) return false
    this.log(
      `Still waiting for ${this.what}: ${formatDuration(this.deadline.elapsed())} elapsed, ${formatDuration(this.deadline.remaining())} left; ${status.replace(/\.+$/, '')}.`
    )
    this.last = now
    return true
  }
}
