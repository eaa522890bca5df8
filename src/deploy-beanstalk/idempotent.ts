import * as core from '@actions/core'
import { OutcomeUnknownError } from '../common/failure.js'
import type { BeanstalkGateway, EnvironmentInfo, VersionInfo } from './aws/beanstalk.js'
import type { BeanstalkEvent } from './follow/events.js'

/**
 * Mutating calls whose reply was lost: find out whether they took effect before sending them again, so a step
 * makes exactly one deployment and one version, whatever the network does.
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
  core.info(`The reply to UpdateEnvironment was lost (${describe(error)}): checking whether the update took.`)
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

/** After a lost CreateApplicationVersion reply: the version when it exists with our bundle, else undefined. */
export async function checkLostVersion(
  beanstalk: BeanstalkGateway,
  error: OutcomeUnknownError,
  version: { application: string; label: string; bucket: string; key: string }
): Promise<VersionInfo | undefined> {
  core.info(
    `The reply to CreateApplicationVersion was lost (${describe(error)}): checking whether the version exists.`
  )
  const found = await beanstalk.version(version.application, version.label)
  if (found && found.bucket === version.bucket && found.key === version.key) {
    core.info(`Version ${version.label} exists with this bundle: using it, not creating it again.`)
    return found
  }
  core.info(`Version ${version.label} does not exist: creating it again.`)
  return undefined
}

function describe(error: OutcomeUnknownError): string {
  return error.original instanceof Error ? error.original.message : String(error.original)
}
