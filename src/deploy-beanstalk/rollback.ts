import * as core from '@actions/core'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from './aws/beanstalk.js'
import { meetsHealth } from './follow/decide.js'
import { follow, followOptionsFor } from './follow/index.js'
import type { Plan } from './plan.js'
import type { RollbackReport } from './report.js'
import { startUpdate } from './update.js'

/**
 * Redeploys the version that ran before and follows it the same way, with a fresh budget of `timeout`.
 * Never throws for a failed rollback: the step fails anyway, and the report says how the rollback went.
 */
export async function rollBack(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  current?: EnvironmentInfo,
  clock: Clock = systemClock
): Promise<RollbackReport> {
  const label = plan.previousLabel
  if (!label || label === plan.label) {
    return { result: 'skipped', detail: 'not possible: there is no earlier version to return to.' }
  }
  if (
    current?.status === 'Ready' &&
    current.versionLabel === label &&
    meetsHealth(current.health, plan.requiredHealth)
  ) {
    return {
      result: 'not-needed',
      label,
      detail: `not needed: Beanstalk kept ${label} running (health ${current.health}).`
    }
  }
  try {
    const deadline = new Deadline(plan.timeoutMs, clock)
    const unknown: EnvironmentInfo = {
      id: plan.environmentId,
      name: plan.environment,
      application: plan.application,
      status: 'Unknown',
      health: 'Grey'
    }
    const request = await startUpdate(beanstalk, plan.environmentId, label, deadline, unknown)
    if (!request)
      return {
        result: 'timed-out',
        label,
        detail: `${plan.environment} did not become Ready to roll back to ${label}.`
      }
    const followed = await follow(
      beanstalk,
      followOptionsFor(plan, { target: label, previous: plan.label, request }, deadline)
    )
    if (followed.kind === 'success') {
      return {
        result: 'succeeded',
        label,
        detail: `rolled back to ${label}: Ready, health ${followed.environment.health}.`
      }
    }
    if (followed.kind === 'timeout')
      return {
        result: 'timed-out',
        label,
        detail: `rolling back to ${label} did not finish within the timeout.`
      }
    return {
      result: 'failed',
      label,
      detail: `rolling back to ${label} failed too: ${followed.decision.reason}`
    }
  } catch (error) {
    core.debug(String(error))
    return { result: 'failed', label, detail: `rolling back to ${label} failed: ${(error as Error).message}` }
  }
}
