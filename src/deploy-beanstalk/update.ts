import * as core from '@actions/core'
import { isAwsError } from '../common/errors.js'
import { OutcomeUnknownError } from '../common/failure.js'
import { formatDuration } from '../common/format.js'
import type { Deadline } from '../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from './aws/beanstalk.js'
import type { ConfigurationRequest } from './configuration/diff.js'
import { Poller } from './follow/poll.js'
import { checkLostUpdate } from './idempotent.js'

/**
 * Starting an update: wait until the environment is Ready (another update may be running), then
 * UpdateEnvironment, waiting again when it became busy in between.
 */

/** "Environment named X is in an invalid state for this operation. Must be Ready." */
export function isNotReadyError(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterValue') && /Must be Ready/i.test((error as Error).message)
}

/**
 * Waits until the environment is Ready (another update may be running), saying so. Returns its state, or
 * undefined when the deadline passes first.
 */
export async function waitUntilReady(
  beanstalk: BeanstalkGateway,
  environmentId: string,
  deadline: Deadline,
  initial?: EnvironmentInfo
): Promise<EnvironmentInfo | undefined> {
  if (initial?.status === 'Ready') return initial
  let said = ''
  const poller = new Poller(deadline, beanstalk).heartbeat(
    `${initial?.name ?? environmentId} to be Ready (another update is running)`,
    () => `it is ${said || 'not Ready'}`
  )
  return await poller.run(async () => {
    const [env] = await beanstalk.environments({ ids: [environmentId] })
    if (!env) throw new Error(`Environment ${environmentId} disappeared.`)
    if (env.status === 'Ready') {
      if (said !== '') core.info(`${env.name} is Ready again (after ${formatDuration(deadline.elapsed())}).`)
      return env
    }
    if (env.status === 'Terminating' || env.status === 'Terminated') {
      throw new Error(`Environment ${env.name} is ${env.status}: it cannot be deployed to.`)
    }
    if (env.status !== said) {
      core.info(
        `${env.name} is ${env.status} (another update is running): waiting for it to finish, up to ${formatDuration(deadline.remaining())} more.`
      )
      said = env.status
      poller.changed()
    }
    return undefined
  }, 1)
}

/**
 * UpdateEnvironment to `label` (and/or with configuration `change`; names and values are not printed here). When
 * the environment became busy again between our look and our request ("… Must be Ready."), waits for Ready and
 * tries again. Returns when the request was accepted, or undefined when the deadline passed.
 */
export async function startUpdate(
  beanstalk: BeanstalkGateway,
  environmentId: string,
  label: string | undefined,
  deadline: Deadline,
  initial: EnvironmentInfo,
  change?: ConfigurationRequest,
  /** platform: the platform version to move to (platform/), sent in the same request */
  platformArn?: string
): Promise<{ since: Date; environment: EnvironmentInfo } | undefined> {
  let current: EnvironmentInfo | undefined = initial
  let lostReplies = 0
  for (;;) {
    current = await waitUntilReady(beanstalk, environmentId, deadline, current)
    if (!current) return undefined
    const requestedAt = new Date(deadline.clock.now())
    try {
      const { info, dateUpdated } = await beanstalk.updateEnvironment(
        environmentId,
        label,
        change,
        platformArn
      )
      const what =
        label === undefined
          ? platformArn
            ? `Updating the platform${change ? ' and the configuration' : ''}` // platform
            : 'Applying the configuration'
          : `Deploying ${label}${change ? ' with the configuration' : ''}${platformArn ? ' on the new platform version' : ''}`
      core.info(`${what} to ${info.name || current.name}: ${info.status}.`)
      // Events carry Beanstalk's clock; take the earlier of ours and its, so none is missed.
      const since = dateUpdated && dateUpdated.getTime() < requestedAt.getTime() ? dateUpdated : requestedAt
      return { since, environment: { ...current, ...info, name: info.name || current.name } }
    } catch (error) {
      if (error instanceof OutcomeUnknownError && lostReplies++ < 2) {
        const took = await checkLostUpdate(beanstalk, error, current, label, requestedAt)
        if (took) return { since: requestedAt, environment: { ...current, ...took } }
        continue // it did not take: the environment is Ready, send it again
      }
      if (!isNotReadyError(error)) throw error
      core.info(
        `${current.name} became busy again just before the request (${(error as Error).message}): waiting.`
      )
      current = undefined
    }
  }
}
