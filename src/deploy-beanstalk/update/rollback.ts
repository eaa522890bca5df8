import { DeadlineReached } from '../../common/errors.js'
import { debug } from '../../common/log.js'
import { Deadline, systemClock, type Clock } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo, UpdateRequest } from '../aws/beanstalk.js'
import { platformRollback } from '../platform/index.js'
import type { Plan } from '../plan.js'
import { meetsHealth } from './decide.js'
import type { BeanstalkEvent } from './events.js'
import { follow, followOptionsFor } from './follow.js'
import { startDeployment } from './start.js'

/** How a rollback went, for the reason and the summary; `environment` as the rollback left it. */
export interface RollbackReport {
  result: 'succeeded' | 'failed' | 'timed-out' | 'not-needed' | 'skipped'
  label?: string
  detail: string
  environment?: EnvironmentInfo
}

/**
 * Sends back what the failed update changed and follows it the same way, with a fresh budget of `timeout`: the
 * version that ran before and, when the deploy changed the configuration, the previous configuration (read in the
 * look-up, never printed) and the previous platform version when the deploy changed it: in the same update, or
 * first when Beanstalk refuses them in one (start.ts).
 * Never throws for a failed or timed-out rollback: the step fails anyway, and the report says how the rollback went.
 * `shown`: the events the failed update's follow showed, not shown again as the rollback's.
 */
export async function rollBack(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  current?: EnvironmentInfo,
  clock: Clock = systemClock,
  shown: readonly BeanstalkEvent[] = []
): Promise<RollbackReport> {
  const label = plan.previousLabel
  const restore = plan.configuration?.restore
  // the previous platform version too, when the deploy changed it and the environment is not on it
  const platformArn = platformRollback(plan.platform, current)
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
      detail: `not needed: Beanstalk kept ${label} running (health ${current.health}).`,
      environment: current
    }
  }
  // The version to redeploy, unless Beanstalk kept it (or there is none): then only the configuration.
  const redeploy = label && label !== plan.label && !kept ? label : undefined
  const back: UpdateRequest = { label: redeploy, configuration: restore, platformArn }
  const target = redeploy ?? current?.versionLabel ?? label ?? plan.label
  const platform = `platform version ${plan.platform?.current?.version ?? platformArn ?? ''}`
  const what = describeWayBack(back, [
    'rolled back to',
    'restored the previous configuration',
    `restored ${platform}`
  ])
  const doing = describeWayBack(back, [
    'rolling back to',
    'restoring the previous configuration',
    `restoring ${platform}`
  ])
  // the fresh deadline holds every request of the rollback, the wait for a call-budget slot included
  const deadline = new Deadline(plan.timeoutMs, clock)
  try {
    return await beanstalk.within(deadline, async (): Promise<RollbackReport> => {
      const unknown: EnvironmentInfo = {
        id: plan.environmentId,
        name: plan.environment,
        application: plan.application,
        status: 'Unknown',
        health: 'Grey',
        versionLabel: current?.versionLabel
      }
      const started = await startDeployment(beanstalk, plan, back, deadline, unknown)
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
                deadline,
                { shown }
              )
            )
      const environment = followed.environment
      if (followed.kind === 'success') {
        const detail = `${what}: Ready on ${target}, health ${followed.environment.health}.`
        return { result: 'succeeded', label, detail, environment }
      }
      if (followed.kind === 'timeout')
        return {
          result: 'timed-out',
          label,
          detail: `${doing} did not finish within the timeout.`,
          environment
        }
      const detail = `${doing} failed too: ${followed.decision.reason}`
      return { result: 'failed', label, detail, environment }
    })
  } catch (error) {
    debug(String(error))
    if (error instanceof DeadlineReached)
      return {
        result: 'timed-out',
        label,
        detail: `${doing} did not finish within the timeout: the next Beanstalk request could only have been sent after it (the call budget was full).`
      }
    return { result: 'failed', label, detail: `${doing} failed: ${(error as Error).message}` }
  }
}

/** "rolling back to v1 and restoring the previous configuration", from what is sent back. */
function describeWayBack(back: UpdateRequest, [version, configuration, platform]: string[]): string {
  return [
    back.label ? `${version} ${back.label}` : '',
    back.configuration ? configuration : '',
    back.platformArn ? platform : ''
  ]
    .filter(Boolean)
    .join(' and ')
}
