import * as core from '@actions/core'
import { DeadlineReached } from '../common/errors.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from './aws/beanstalk.js'
import { startDeployment } from './configuration/apply.js'
import { meetsHealth } from './follow/decide.js'
import { follow, followOptionsFor } from './follow/index.js'
import type { Plan } from './plan.js'
import type { RollbackReport } from './report.js'
import { platformRollback } from './platform/index.js' // platform

/**
 * Redeploys the version that ran before and follows it the same way, with a fresh budget of `timeout`. When the
 * deploy changed the configuration, the previous configuration (read in the look-up, never printed) is restored
 * too: in the same update, or first when Beanstalk refuses both in one (configuration/apply.ts).
 * Never throws for a failed or timed-out rollback: the step fails anyway, and the report says how the rollback went.
 */
export async function rollBack(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  current?: EnvironmentInfo,
  clock: Clock = systemClock
): Promise<RollbackReport> {
  const label = plan.previousLabel
  const restore = plan.configuration?.restore
  // platform: the previous platform version too, when the deploy changed it and the environment is not on it
  const platformArn = platformRollback(plan.platform, current)
  const platformBack = platformArn ? `platform version ${plan.platform?.current?.version ?? platformArn}` : ''
  if (!restore && !platformArn && (!label || label === plan.label)) {
    return { result: 'skipped', detail: 'not possible: there is no earlier version to return to.' }
  }
  const kept =
    current?.status === 'Ready' &&
    current.versionLabel === label &&
    meetsHealth(current.health, plan.requiredHealth)
  if (kept && !restore && !platformArn) {
    return {
      result: 'not-needed',
      label,
      detail: `not needed: Beanstalk kept ${label} running (health ${current.health}).`
    }
  }
  // The version to redeploy, unless Beanstalk kept it (or there is none): then only the configuration.
  const redeploy = label && label !== plan.label && !kept ? label : undefined
  const target = redeploy ?? current?.versionLabel ?? label ?? plan.label
  const what = [
    redeploy ? `rolled back to ${redeploy}` : '',
    restore ? 'restored the previous configuration' : '',
    platformBack ? `restored ${platformBack}` : ''
  ]
    .filter(Boolean)
    .join(' and ')
  const doing = [
    redeploy ? `rolling back to ${redeploy}` : '',
    restore ? 'restoring the previous configuration' : '',
    platformBack ? `restoring ${platformBack}` : ''
  ]
    .filter(Boolean)
    .join(' and ')
  // the fresh deadline holds every request of the rollback, the wait for a call-budget slot included
  const deadline = new Deadline(plan.timeoutMs, clock)
  try {
    return await beanstalk.within(deadline, async (): Promise<RollbackReport> => {
      const unknown: EnvironmentInfo = {
        id: plan.environmentId,
        name: plan.environment,
        application: plan.application,
        status: 'Unknown',
        health: 'Grey'
      }
      const started = await startDeployment(
        beanstalk,
        plan,
        { label: redeploy, running: current?.versionLabel, change: restore, platformArn },
        deadline,
        unknown
      )
      if (started.kind === 'busy')
        return {
          result: 'timed-out',
          label,
          detail: `${plan.environment} did not become Ready for ${doing}.`
        }
      const followed =
        started.kind === 'configuration-failed'
          ? started.followed
          : await follow(
              beanstalk,
              followOptionsFor(
                plan,
                { target, previous: redeploy ? plan.label : target, request: started.request },
                deadline
              )
            )
      if (followed.kind === 'success') {
        return {
          result: 'succeeded',
          label,
          detail: `${what}: Ready on ${target}, health ${followed.environment.health}.`,
          environment: followed.environment // platform: the report's platform-arn (and health) after the rollback
        }
      }
      if (followed.kind === 'timeout')
        return {
          result: 'timed-out',
          label,
          detail: `${doing} did not finish within the timeout.`
        }
      return {
        result: 'failed',
        label,
        detail: `${doing} failed too: ${followed.decision.reason}`
      }
    })
  } catch (error) {
    core.debug(String(error))
    if (error instanceof DeadlineReached)
      return {
        result: 'timed-out',
        label,
        detail: `${doing} did not finish within the timeout: the next Beanstalk request could only have been sent after it (the call budget was full).`
      }
    return { result: 'failed', label, detail: `${doing} failed: ${(error as Error).message}` }
  }
}
