import * as core from '@actions/core'
import { DeadlineReached, describeError } from '../common/errors.js'
import { EventLog, eventLevel, formatEvent, type BeanstalkEvent } from '../common/events.js'
import { formatDuration } from '../common/format.js'
import { Heartbeat } from '../common/heartbeat.js'
import { debug } from '../common/log.js'
import { isTransient, poll, type Deadline } from '../common/retry.js'
import type { Environment, SwapGateway } from './beanstalk.js'
import { CNAME_TTL_MS } from './plan.js'

/**
 * Waiting on the pair: each round one DescribeEnvironments (both environments) and one DescribeEvents (the
 * application's, since the wait began), the pair's new events streamed one line each (ERROR as error
 * annotations), a heartbeat at least every 30 s, all on the deadline's clock.
 */

/** One round every 7 s: two requests a round (17 a minute) leave room under the hard cap of 20 for the others. */
export const FOLLOW_POLL_MS = 7_000

export interface Follow {
  gateway: SwapGateway
  application: string
  names: readonly string[]
  deadline: Deadline
  /** The events of the pair so far (shared by the waits of one run, so none is shown twice). */
  events: EventLog
  /** The pair as the last look found it (which environments a failure concerns: logs.ts). */
  seen?: Environment[]
}

/** Errors among the pair's events since the wait began (a swap Beanstalk could not finish). */
export const errorsAmong = (events: readonly BeanstalkEvent[]) =>
  events.filter(event => eventLevel(event.severity) === 'error').map(event => event.message)

function show(event: BeanstalkEvent): void {
  const line = `${event.environmentName ?? ''} ${formatEvent(event)}`.trim()
  const level = eventLevel(event.severity)
  if (level === 'error') core.error(line, { title: 'Beanstalk event' })
  else if (level === 'warning') core.warning(line, { title: 'Beanstalk event' })
  else if (level === 'debug') debug(line)
  else core.info(line)
}

const describePair = (envs: readonly Environment[]) =>
  envs.map(env => `${env.name} ${env.status}, ${env.health}, ${env.cname ?? 'no CNAME'}`).join('; ')

/**
 * Polls until `done(environments, new events)` returns a value; the deadline passing is a DeadlineReached that
 * says what was awaited and how the pair stood.
 */
export async function follow<T>(
  f: Follow,
  what: string,
  since: Date,
  done: (environments: Environment[], events: readonly BeanstalkEvent[]) => T | undefined
): Promise<T> {
  const heartbeat = new Heartbeat(what, f.deadline)
  let last: Environment[] = []
  const fresh: BeanstalkEvent[] = []
  const timedOut = () =>
    new DeadlineReached(
      `The timeout (${formatDuration(f.deadline.budgetMs)}) was reached while waiting for ${what}. Last seen: ${describePair(last) || 'nothing'}.`
    )
  const result = await poll<T>(
    async () => {
      try {
        last = f.seen = await f.gateway.environments(f.application, f.names)
        const events = await f.gateway.events(f.application, f.events.nextStart(since))
        for (const event of f.events.add(events.filter(e => f.names.includes(e.environmentName ?? '')))) {
          show(event)
          fresh.push(event)
          heartbeat.printed()
        }
        const value = done(last, fresh)
        if (value !== undefined) return { done: true, value }
      } catch (error) {
        // the hard cap had no request slot before the deadline: this wait's own timeout, with what it saw
        if (error instanceof DeadlineReached && last.length > 0) throw timedOut()
        if (!isTransient(error)) throw error
        core.info(`Beanstalk is busy (${describeError(error)}): polling more slowly.`)
      }
      heartbeat.beat(describePair(last))
      return { done: false, delayMs: FOLLOW_POLL_MS }
    },
    { deadline: f.deadline, heartbeat: heartbeat.pulse(() => describePair(last)) }
  )
  if (result === undefined) throw timedOut()
  return result
}

/**
 * With `wait-for-dns`, waits out the CNAME's TTL from the end of the swap (within the timeout, a heartbeat every
 * 30 s at the most); returns how long it waited. A timeout that leaves less cuts the wait short, with a warning:
 * the swap itself succeeded.
 */
export async function waitForDns(deadline: Deadline, swappedAt: number, host: string): Promise<number> {
  const clock = deadline.clock
  const until = swappedAt + CNAME_TTL_MS
  const heartbeat = new Heartbeat(`DNS resolvers to drop the old record of ${host}`, deadline)
  const started = clock.now()
  while (clock.now() < until && !deadline.expired()) {
    await deadline.sleep(Math.min(until - clock.now(), 15_000))
    heartbeat.beat(`${formatDuration(Math.max(0, until - clock.now()))} of the TTL left`)
  }
  const waited = clock.now() - started
  if (clock.now() < until) {
    core.warning(
      `The timeout cut the DNS wait short after ${formatDuration(waited)}: resolvers may still send visitors to the old environment for ${formatDuration(until - clock.now())}.`,
      { title: 'DNS wait cut short' }
    )
  } else {
    core.info(
      `${CNAME_TTL_MS / 1000} s have passed since the swap: ${host}'s old record has expired from caches that honour its TTL.`
    )
  }
  return waited
}
