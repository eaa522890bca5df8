/**
 * Beanstalk events: how each is logged, and de-duplication across overlapping DescribeEvents pages (deploy-beanstalk
 * and swap-environments). What a message means for an update is decided by each action. Pure.
 */
export interface BeanstalkEvent {
  date: Date
  message: string
  severity: string
  requestId?: string
  versionLabel?: string
  environmentName?: string
}

export type LogLevel = 'error' | 'warning' | 'info' | 'debug'

/** ERROR and FATAL become error annotations, WARN warnings, INFO plain lines, TRACE/DEBUG debug lines. */
export function eventLevel(severity: string): LogLevel {
  switch (severity.toUpperCase()) {
    case 'FATAL':
    case 'ERROR':
      return 'error'
    case 'WARN':
    case 'WARNING':
      return 'warning'
    case 'TRACE':
    case 'DEBUG':
      return 'debug'
    default:
      return 'info'
  }
}

/** One line per event: `12:03:04 INFO  Environment update is starting.` (UTC time). */
export function formatEvent(event: BeanstalkEvent): string {
  const time = event.date.toISOString().slice(11, 19)
  return `${time} ${event.severity.padEnd(5)} ${event.message.replace(/\s*\n\s*/g, ' ')}`
}

const eventKey = (event: BeanstalkEvent) =>
  `${event.date.getTime()}|${event.severity}|${event.requestId ?? ''}|${event.environmentName ?? ''}|${event.message}`

/**
 * The events seen so far. `add` takes a DescribeEvents answer (newest first, overlapping earlier answers since
 * StartTime is inclusive) and returns the events not seen before, oldest first.
 */
export class EventLog {
  private readonly seen: Set<string>
  readonly all: BeanstalkEvent[] = []

  /** `shown`: events shown before (by an earlier follow), never returned again. */
  constructor(shown: readonly BeanstalkEvent[] = []) {
    this.seen = new Set(shown.map(eventKey))
  }

  add(events: readonly BeanstalkEvent[]): BeanstalkEvent[] {
    const fresh: BeanstalkEvent[] = []
    // newest first as DescribeEvents answers: reversed, then sorted (stable), events of the same time keep their order
    for (const event of [...events].reverse().sort((a, b) => a.date.getTime() - b.date.getTime())) {
      const key = eventKey(event)
      if (this.seen.has(key)) continue
      this.seen.add(key)
      fresh.push(event)
    }
    this.all.push(...fresh)
    return fresh
  }

  /** The StartTime for the next DescribeEvents call: the newest event seen (inclusive), else `since`. */
  nextStart(since: Date): Date {
    const last = this.all[this.all.length - 1]
    return last && last.date.getTime() > since.getTime() ? last.date : since
  }
}
