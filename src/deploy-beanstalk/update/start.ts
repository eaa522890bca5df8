import * as core from '@actions/core'
import { isAwsError } from '../../common/errors.js'
import { OutcomeUnknownError } from '../../common/failure.js'
import { formatDuration } from '../../common/format.js'
import type { Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo, UpdateRequest } from '../aws/beanstalk.js'
import { saveStarted } from '../cancel/state.js'
import type { Plan } from '../plan.js'
import type { BeanstalkEvent } from './events.js'
import { follow, followOptionsFor, type FollowOutcome } from './follow.js'
import { checkLostUpdate } from './lost-reply.js'
import { Poller } from './poll.js'

/**
 * Starting an update: wait until the environment is Ready (another update may be running), then one
 * UpdateEnvironment with everything the update sends (a version, configuration changes, or both), waiting again
 * when the environment became busy in between, and checking a lost reply before sending it again.
 *
 * Both travel in one UpdateEnvironment when Beanstalk accepts that. Its API reference says "Attempting to update
 * both the release and configuration is not allowed and AWS Elastic Beanstalk returns an
 * InvalidParameterCombination error" (UpdateEnvironment, Elastic Beanstalk API Reference): then everything but the
 * version (the configuration, the platform version) goes first, is followed until Ready, and the version follows
 * in a second update.
 */

/** An UpdateEnvironment Beanstalk accepted: since when its events count, and the environment it answered. */
export interface Accepted {
  since: Date
  environment: EnvironmentInfo
}

export type Started =
  | {
      kind: 'started'
      request: Accepted
      /** True when the configuration went first in an update of its own. */
      twoStep: boolean
      /** Events of the configuration step, when there was one. */
      events: BeanstalkEvent[]
    }
  /** The environment did not become Ready in time (another update is running). */
  | { kind: 'busy' }
  /** The configuration step of the two-step path failed or timed out; the version was not deployed. */
  | { kind: 'configuration-failed'; followed: Exclude<FollowOutcome, { kind: 'success' }> }

/** "Environment named X is in an invalid state for this operation. Must be Ready." */
export function isNotReadyError(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterValue') && /Must be Ready/i.test((error as Error).message)
}

/** True for Beanstalk's refusal to take a version and configuration in one update. */
export function isCombinationRefused(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterCombination')
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
 * One UpdateEnvironment with `send` (names and values are not printed here). When the environment became busy
 * again between our look and our request ("… Must be Ready."), waits for Ready and tries again. Returns when the
 * request was accepted, or undefined when the deadline passed.
 */
export async function startUpdate(
  beanstalk: BeanstalkGateway,
  environmentId: string,
  send: UpdateRequest,
  deadline: Deadline,
  initial: EnvironmentInfo
): Promise<Accepted | undefined> {
  let current: EnvironmentInfo | undefined = initial
  let lostReplies = 0
  for (;;) {
    current = await waitUntilReady(beanstalk, environmentId, deadline, current)
    if (!current) return undefined
    const requestedAt = new Date(deadline.clock.now())
    try {
      const { info, dateUpdated, requestId } = await beanstalk.updateEnvironment(environmentId, send)
      core.info(`${describeRequest(send)} to ${info.name || current.name}: ${info.status}.`)
      // Events carry Beanstalk's clock; take the earlier of ours and its, so none is missed.
      const since = dateUpdated && dateUpdated.getTime() < requestedAt.getTime() ? dateUpdated : requestedAt
      return started(
        beanstalk,
        send,
        { since, environment: { ...current, ...info, name: info.name || current.name } },
        requestId
      )
    } catch (error) {
      if (error instanceof OutcomeUnknownError && lostReplies++ < 2) {
        const took = await checkLostUpdate(beanstalk, error, current, send.label, requestedAt)
        if (took)
          return started(beanstalk, send, { since: requestedAt, environment: { ...current, ...took } })
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

/** An accepted update, recorded for the post step of a cancelled run (cancel/state.ts). */
function started(
  beanstalk: BeanstalkGateway,
  send: UpdateRequest,
  accepted: Accepted,
  requestId?: string
): Accepted {
  const env = accepted.environment
  saveStarted({
    region: beanstalk.region,
    application: env.application,
    environmentId: env.id,
    environmentName: env.name,
    label: send.label,
    requestId,
    since: accepted.since.toISOString()
  })
  return accepted
}

function describeRequest(send: UpdateRequest): string {
  if (send.label === undefined) return `Applying ${describeRest(send)}`
  const platform = send.platformArn ? ' on the new platform version' : ''
  return `Deploying ${send.label}${send.configuration ? ' with the configuration' : ''}${platform}`
}

/** What an update sends besides the version: "the configuration", "the platform version", or both. */
function describeRest(send: UpdateRequest): string {
  const parts = [
    send.configuration ? 'the configuration' : '',
    send.platformArn ? 'the platform version' : ''
  ]
  return parts.filter(Boolean).join(' and ') || 'the configuration'
}

/**
 * Starts the update that sends `send` (a deploy's, or a rollback's way back): in one UpdateEnvironment, or, when
 * Beanstalk refuses the version together with the rest, the rest first (followed until Ready), then the version.
 * `initial` is the environment as last seen; its version is what a configuration-only step keeps.
 */
export async function startDeployment(
  beanstalk: BeanstalkGateway,
  plan: Pick<Plan, 'application' | 'environmentId' | 'environment' | 'requiredHealth' | 'timeoutMs'>,
  send: UpdateRequest,
  deadline: Deadline,
  initial: EnvironmentInfo
): Promise<Started> {
  const started = (request: Accepted | undefined): Started =>
    request ? { kind: 'started', request, twoStep: false, events: [] } : { kind: 'busy' }
  // the version, and the rest it carries (the configuration changes; whatever else an update sends, the same way)
  const { label, ...rest } = send
  const carriesMore = Object.values(rest).some(value => value !== undefined)
  if (label === undefined || !carriesMore) {
    return started(await startUpdate(beanstalk, plan.environmentId, send, deadline, initial))
  }
  try {
    return started(await startUpdate(beanstalk, plan.environmentId, send, deadline, initial))
  } catch (error) {
    if (!isCombinationRefused(error)) throw error
    core.info(
      `Beanstalk refused the version and ${describeRest(rest)} in one update (${(error as Error).name}: ${(error as Error).message}). Applying ${describeRest(rest)} first, then deploying ${label}.`
    )
  }
  const configured = await startUpdate(beanstalk, plan.environmentId, rest, deadline, initial)
  if (!configured) return { kind: 'busy' }
  const running = initial.versionLabel ?? ''
  const followed = await follow(
    beanstalk,
    followOptionsFor(plan, { target: running, previous: running, request: configured }, deadline)
  )
  if (followed.kind !== 'success') return { kind: 'configuration-failed', followed }
  const are = rest.configuration && rest.platformArn ? 'are' : 'is'
  core.info(
    `${upperFirst(describeRest(rest))} ${are} applied to ${plan.environment}; now deploying ${label}.`
  )
  const request = await startUpdate(beanstalk, plan.environmentId, { label }, deadline, followed.environment)
  return request ? { kind: 'started', request, twoStep: true, events: followed.events } : { kind: 'busy' }
}

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
