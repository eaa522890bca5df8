import * as core from '@actions/core'
import { isAwsError } from '../../common/errors.js'
import type { Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import { follow, followOptionsFor, type FollowOutcome } from '../follow/index.js'
import type { BeanstalkEvent } from '../follow/events.js'
import type { Plan } from '../plan.js'
import { startUpdate } from '../update.js'
import type { ConfigurationRequest } from './diff.js'

/**
 * Starting an update that carries a version, a configuration change, or both. Both travel in one
 * UpdateEnvironment when Beanstalk accepts that. Its API reference says "Attempting to update both the release
 * and configuration is not allowed and AWS Elastic Beanstalk returns an InvalidParameterCombination error"
 * (UpdateEnvironment, Elastic Beanstalk API Reference): then the configuration goes first, is followed until
 * Ready, and the version follows in a second update.
 */

export type Started =
  | {
      kind: 'started'
      request: { since: Date; environment: EnvironmentInfo }
      /** True when the configuration went first in an update of its own. */
      twoStep: boolean
      /** Events of the configuration step, when there was one. */
      events: BeanstalkEvent[]
    }
  /** The environment did not become Ready in time (another update is running). */
  | { kind: 'busy' }
  /** The configuration step of the two-step path failed or timed out; the version was not deployed. */
  | { kind: 'configuration-failed'; followed: Exclude<FollowOutcome, { kind: 'success' }> }

export interface UpdateTarget {
  /** The version to deploy; undefined for a configuration-only update. */
  label?: string
  /** The version the environment runs now (what a configuration-only update keeps). */
  running?: string
  change?: ConfigurationRequest
  /**
   * platform: the platform version to move to (platform/). It travels like the configuration: with the version in
   * one update, or with the configuration in the first update when Beanstalk refuses them together.
   */
  platformArn?: string
}

/** True for Beanstalk's refusal to take a version and configuration in one update. */
export function isCombinationRefused(error: unknown): boolean {
  return isAwsError(error, 'InvalidParameterCombination')
}

export async function startDeployment(
  beanstalk: BeanstalkGateway,
  plan: Pick<Plan, 'application' | 'environmentId' | 'environment' | 'requiredHealth' | 'timeoutMs'>,
  target: UpdateTarget,
  deadline: Deadline,
  initial: EnvironmentInfo
): Promise<Started> {
  const started = (request: { since: Date; environment: EnvironmentInfo } | undefined, twoStep = false) =>
    request ? { kind: 'started' as const, request, twoStep, events: [] } : { kind: 'busy' as const }
  const { label, change, platformArn } = target
  if ((!change && !platformArn) || label === undefined) {
    return started(
      await startUpdate(beanstalk, plan.environmentId, label, deadline, initial, change, platformArn)
    )
  }
  try {
    return started(
      await startUpdate(beanstalk, plan.environmentId, label, deadline, initial, change, platformArn)
    )
  } catch (error) {
    if (!isCombinationRefused(error)) throw error
    const what = [change ? 'the configuration' : '', platformArn ? 'the platform' : '']
      .filter(Boolean)
      .join(' and ')
    core.info(
      `Beanstalk refused the version and ${what} in one update (${(error as Error).name}: ${(error as Error).message}). Applying ${what} first, then deploying ${label}.`
    )
  }
  const configured = await startUpdate(
    beanstalk,
    plan.environmentId,
    undefined,
    deadline,
    initial,
    change,
    platformArn
  )
  if (!configured) return { kind: 'busy' }
  const running = target.running ?? ''
  const followed = await follow(
    beanstalk,
    followOptionsFor(plan, { target: running, previous: running, request: configured }, deadline)
  )
  if (followed.kind !== 'success') return { kind: 'configuration-failed', followed }
  core.info(
    `${platformArn ? (change ? 'The platform and the configuration are' : 'The platform is') : 'The configuration is'} applied to ${plan.environment}; now deploying ${label}.`
  )
  const request = await startUpdate(beanstalk, plan.environmentId, label, deadline, followed.environment)
  return request ? { kind: 'started', request, twoStep: true, events: followed.events } : { kind: 'busy' }
}
