import * as core from '@actions/core'
import { OutcomeUnknownError } from '../../common/failure.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { BeanstalkEvent } from './events.js'

/**
 * An UpdateEnvironment whose reply was lost: find out whether it took effect before sending it again, so a step
 * makes exactly one deployment, whatever the network does (a lost CreateApplicationVersion: versions/create.ts).
 */

/**
 * Did our UpdateEnvironment take? `before` is the environment as it was (Ready) just before the request; `after`
 * and `events` (since the request) are read now. Pure.
 */
export function updateTook(
  before: EnvironmentInfo,
  after: EnvironmentInfo | undefined,
  /** The version requested; undefined for a configuration-only update. */
  label: string | undefined,
  events: readonly BeanstalkEvent[]
): { took: boolean; why: string } {
  if (!after) return { took: false, why: 'the environment was not found' }
  if (after.status !== 'Ready') {
    return {
      took: true,
      why: `${after.name} is ${after.status} since the request (it was Ready just before)`
    }
  }
  if (label !== undefined && after.versionLabel === label && before.versionLabel !== label) {
    return { took: true, why: `${after.name} already runs ${label}` }
  }
  const ours = events.find(e =>
    /update is starting|deploying new version|environment update/i.test(e.message)
  )
  if (ours) return { took: true, why: `Beanstalk logged "${ours.message}" after the request` }
  return {
    took: false,
    why: `${after.name} is Ready on ${after.versionLabel ?? 'no version'}, with no event since the request`
  }
}

/** After a lost UpdateEnvironment reply: the environment now, or undefined when the update did not take. */
export async function checkLostUpdate(
  beanstalk: BeanstalkGateway,
  error: OutcomeUnknownError,
  before: EnvironmentInfo,
  label: string | undefined,
  requestedAt: Date
): Promise<EnvironmentInfo | undefined> {
  core.info(
    `The reply to UpdateEnvironment was lost (${describeLost(error)}): checking whether the update took.`
  )
  const [after] = await beanstalk.environments({ ids: [before.id] })
  const events = await beanstalk.events({
    application: before.application,
    environmentId: before.id,
    startTime: requestedAt
  })
  const { took, why } = updateTook(before, after, label, events)
  core.info(
    took
      ? `It took: ${why}. Following it, not sending it again.`
      : `It did not take (${why}): sending it again.`
  )
  return took ? after : undefined
}

export function describeLost(error: OutcomeUnknownError): string {
  return error.original instanceof Error ? error.original.message : String(error.original)
}
