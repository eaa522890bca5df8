import type { EnvironmentInfo } from '../aws/beanstalk.js'
import type { BeanstalkEvent } from '../update/events.js'
import type { StartedUpdate } from './state.js'

/**
 * Whether the update running on the environment now is the one this run started (the post step aborts only that
 * one, never another run's or a person's). Beanstalk tags an update's events with the request id of the call that
 * started it: the newest tagged event since this run's request names the update under way. Pure.
 */
export type AbortVerdict = { abort: true; detail: string } | { abort: false; detail: string }

export function ownUpdate(
  started: StartedUpdate,
  env: EnvironmentInfo | undefined,
  events: readonly BeanstalkEvent[]
): AbortVerdict {
  const what = started.label
    ? `the update of ${started.environmentName} to ${started.label}`
    : `the configuration update of ${started.environmentName}`
  if (!env) return { abort: false, detail: `${started.environmentName} no longer exists: nothing to abort.` }
  if (env.status !== 'Updating')
    return {
      abort: false,
      detail: `${env.name} is ${env.status} (health ${env.health}, running ${env.versionLabel ?? 'no version'}): ${what} has ended; nothing to abort.`
    }
  const since = Date.parse(started.since)
  const tagged = events
    .filter(e => e.requestId && e.date.getTime() >= since)
    .sort((a, b) => b.date.getTime() - a.date.getTime())
  const newest = tagged[0]
  if (!newest)
    return {
      abort: false,
      detail: `${env.name} is updating, but no event tells whose update it is: not aborted (never another run's update).`
    }
  const ours = started.requestId
    ? newest.requestId === started.requestId
    : started.label !== undefined && newest.versionLabel === started.label
  if (!ours)
    return {
      abort: false,
      detail: `${env.name} is running another update (request ${newest.requestId}${newest.versionLabel ? `, version ${newest.versionLabel}` : ''}), not this run's: not aborted.`
    }
  return { abort: true, detail: `${what} is still running` }
}
