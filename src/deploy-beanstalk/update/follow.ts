import * as core from '@actions/core'
import type { Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { RequiredHealth } from '../inputs.js'
import type { Plan } from '../plan.js'
import {
  classifyEvent,
  decide,
  initialFollowState,
  noteEvent,
  redGracePeriod,
  type Decision
} from './decide.js'
import { EventLog, eventLevel, formatEvent, type BeanstalkEvent } from './events.js'
import { Poller } from './poll.js'
import { HISTORY_MS, expectDuration, updateDurations } from './history.js'
import { debug } from '../../common/log.js'

/**
 * Following an update (a deploy or a rollback) until it succeeds or fails: the loop that reads events and the
 * environment on the poll schedule (poll.ts) and asks decide.ts what they mean.
 */

/**
 * How often events are read while the environment's state does not change (they are read at once when it
 * changes). Each round reads the environment, which is what ends an update; events every 20 s leave most of the
 * 20 requests a minute to that, so the end of an update is seen within about 2 s.
 */
export const EVENTS_EVERY_MS = 30_000

export interface FollowOptions {
  application: string
  environmentId: string
  target: string
  previous?: string
  requiredHealth: RequiredHealth
  since: Date
  deadline: Deadline
  timeoutMs: number
  /** The state UpdateEnvironment answered with. */
  initial?: EnvironmentInfo
  /**
   * Events an earlier follow of this run showed already (a rollback's follow after the deploy's): not shown or
   * counted again, whatever Beanstalk's clock says of them.
   */
  shown?: readonly BeanstalkEvent[]
  /**
   * Told of each event and environment state as it is seen, so what was seen so far reaches the job summary
   * even when the follow ends in an error of its own (credentials expired, a permission missing).
   */
  onSeen?: (seen: { event?: BeanstalkEvent; environment?: EnvironmentInfo }) => void
  /** What the heartbeat says is waited for (default: the target version on the environment). */
  what?: string
}

/** What to follow after an accepted update of the plan's environment to `target` (a deploy or a rollback). */
export function followOptionsFor(
  plan: Pick<Plan, 'application' | 'environmentId' | 'requiredHealth' | 'timeoutMs'>,
  update: { target: string; previous?: string; request: { since: Date; environment: EnvironmentInfo } },
  deadline: Deadline,
  more: Pick<FollowOptions, 'onSeen' | 'shown'> = {}
): FollowOptions {
  return {
    ...more,
    application: plan.application,
    environmentId: plan.environmentId,
    target: update.target,
    previous: update.previous,
    requiredHealth: plan.requiredHealth,
    since: update.request.since,
    deadline,
    timeoutMs: plan.timeoutMs,
    initial: update.request.environment
  }
}

export type FollowOutcome =
  | { kind: 'success'; environment: EnvironmentInfo; events: BeanstalkEvent[] }
  | {
      kind: 'failure'
      decision: Extract<Decision, { kind: 'failure' }>
      environment?: EnvironmentInfo
      events: BeanstalkEvent[]
    }
  | { kind: 'timeout'; environment?: EnvironmentInfo; events: BeanstalkEvent[] }

function logEvent(event: BeanstalkEvent): void {
  const line = formatEvent(event)
  switch (eventLevel(event.severity)) {
    case 'error':
      core.error(line, { title: 'Beanstalk event' })
      break
    case 'warning':
      core.warning(line, { title: 'Beanstalk event' })
      break
    case 'debug':
      debug(line)
      break
    default:
      core.info(line)
  }
}

/**
 * Follows an update: streams events (each once, in order) and watches the environment until the update
 * succeeds (Ready, our version, required health) or fails, or the deadline passes.
 */
export async function follow(beanstalk: BeanstalkGateway, options: FollowOptions): Promise<FollowOutcome> {
  const clock = options.deadline.clock
  const log = new EventLog(options.shown)
  const poller = new Poller(options.deadline, beanstalk)
  let state = initialFollowState({
    target: options.target,
    previous: options.previous,
    requiredHealth: options.requiredHealth,
    redGraceMs: redGracePeriod(options.timeoutMs)
  })
  if (options.initial && options.initial.status !== 'Ready') state = { ...state, started: true }
  let environment = options.initial
  let lastSeen = environment ? `${environment.status}/${environment.health}/${environment.versionLabel}` : ''
  let round = 0
  let notice: string | undefined
  let lastEventsAt = 0
  /** The last round read the events after the environment: the final read below would repeat it. */
  let eventsAfterEnvironment = false

  const readEvents = async () => {
    // the first read reaches back (history.ts): the earlier updates' durations tell the schedule when to look often
    const first = lastEventsAt === 0
    const since = options.since.getTime()
    const events = await beanstalk.events({
      application: options.application,
      environmentId: options.environmentId,
      startTime: first ? new Date(since - HISTORY_MS) : log.nextStart(options.since)
    })
    if (first) {
      const expected = expectDuration(updateDurations(events, options.since))
      if (expected) {
        poller.expectedEnd = { at: since + expected.durationMs, spreadMs: expected.spreadMs }
        debug(`earlier updates took about ${expected.durationMs} ms (spread ${expected.spreadMs} ms)`)
      }
    }
    lastEventsAt = clock.now()
    const fresh = log.add(events.filter(e => e.date.getTime() >= options.since.getTime()))
    for (const event of fresh) {
      logEvent(event)
      options.onSeen?.({ event })
      state = noteEvent(state, classifyEvent(event.message), event.message)
    }
    return fresh.length
  }

  poller.heartbeat(options.what ?? `${options.target} on ${options.environmentId}`, () => {
    const last = log.all[log.all.length - 1]
    const now = environment
      ? `${environment.status}, health ${environment.health}, version ${environment.versionLabel ?? '(none)'}`
      : 'no status yet'
    return `${now}${last ? `; last event: ${last.message}` : ''}`
  })
  const decision = await poller.run<Decision>(
    async () => {
      round++
      eventsAfterEnvironment = false
      // Events on the first round, every EVENTS_EVERY_MS, and at once when the environment's state changed.
      const eventsDue = round === 1 || clock.now() - lastEventsAt >= EVENTS_EVERY_MS
      if (eventsDue && (await readEvents()) > 0) poller.changed()
      const [env] = await beanstalk.environments({ ids: [options.environmentId] })
      if (!env) throw new Error(`Environment ${options.environmentId} disappeared.`)
      environment = env
      options.onSeen?.({ environment: env })
      const seen = `${env.status}/${env.health}/${env.versionLabel}`
      if (seen !== lastSeen) {
        // the events that led here first, so the log reads in order
        if (!eventsDue) {
          await readEvents()
          eventsAfterEnvironment = true
        }
        core.info(`${env.name}: ${env.status}, health ${env.health}, version ${env.versionLabel ?? '(none)'}`)
        lastSeen = seen
        poller.changed()
      }
      const result = decide(state, {
        time: clock.now(),
        status: env.status,
        health: env.health,
        versionLabel: env.versionLabel
      })
      state = result.state
      if (result.decision.kind !== 'wait') return result.decision
      const said = result.decision.notice
      if (said !== undefined && said !== notice) core.info(`${env.name}: ${said}`)
      notice = said
      return undefined
    },
    () => (clock.now() - lastEventsAt >= EVENTS_EVERY_MS - 3_000 ? 2 : 1)
  )

  // The last events (the final messages often come with the state change), unless the last round read them
  // after the environment already.
  if (!eventsAfterEnvironment) {
    try {
      await readEvents()
    } catch (error) {
      debug(`final DescribeEvents failed: ${String(error)}`)
    }
  }
  if (decision === undefined) return { kind: 'timeout', environment, events: log.all }
  if (decision.kind === 'success' && environment) return { kind: 'success', environment, events: log.all }
  if (decision.kind === 'failure') return { kind: 'failure', decision, environment, events: log.all }
  return { kind: 'timeout', environment, events: log.all }
}
