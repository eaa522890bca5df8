import * as core from '@actions/core'
import { describeError } from '../../common/errors.js'
import { phase } from '../../common/log.js'
import type { BeanstalkGateway } from '../aws/beanstalk.js'
import type { Inputs } from '../inputs.js'
import type { Plan } from '../plan.js'
import {
  deleteVersions,
  describeUsage,
  lookUpVersions,
  planRetention,
  quotaWarning,
  type RetentionPlan
} from './retention.js'

/**
 * Versions over time, as deploy-beanstalk's main story calls them: read the quota and decide (before anything
 * changes), make room at the cap (before CreateApplicationVersion), delete old versions after a successful
 * deploy. See retention.ts (quota, pruning) and promote.ts (from-environment).
 */
export { findPromotion } from './promote.js'
export { tooManyVersionsError } from './retention.js'

/** The look-up and the retention plan, with the warnings for the plan. May throw at the cap (a UserError). */
export async function planVersions(
  beanstalk: BeanstalkGateway,
  inputs: Inputs,
  ctx: { label: string; previousLabel?: string; createsVersion: boolean }
): Promise<{ retention: RetentionPlan; warnings: string[] }> {
  const lookup = await lookUpVersions(beanstalk, inputs.application, inputs.retention.keep !== undefined)
  const retention = planRetention(lookup, {
    application: inputs.application,
    region: inputs.region,
    retention: inputs.retention,
    ...ctx
  })
  if (retention.usage) core.info(`Application versions: ${describeUsage(retention.usage)}.`)
  const warnings = retention.problems.map(
    problem =>
      `Application versions: could not read ${problem}. The deploy goes on; see docs/iam/deploy-policy.json for the permissions.`
  )
  const warning = quotaWarning(retention, inputs.application)
  if (warning) warnings.push(warning)
  return { retention, warnings }
}

const context = (plan: Plan, retention: RetentionPlan, afterUpdate: boolean) => ({
  application: plan.application,
  plan: retention,
  label: plan.label,
  previousLabel: plan.previousLabel,
  environmentId: afterUpdate ? plan.environmentId : undefined
})

/** At the cap with keep-versions: delete the planned versions before the new one is created. */
export async function makeRoom(plan: Plan, beanstalk: BeanstalkGateway): Promise<void> {
  const retention = plan.retention
  if (!retention?.pruneFirst || plan.mode !== 'new-version') return
  await phase(`Make room under the quota: delete old versions of ${plan.application}`, () =>
    deleteVersions(beanstalk, context(plan, retention, false))
  )
}

/** After a successful deploy: delete what keep-versions planned (never a failed deploy if it cannot). */
export async function pruneAfterDeploy(plan: Plan, beanstalk: BeanstalkGateway): Promise<void> {
  const retention = plan.retention
  if (retention?.keep === undefined) return
  try {
    await phase(`Delete old versions of ${plan.application} (keep-versions: ${retention.keep})`, () =>
      deleteVersions(beanstalk, context(plan, retention, true))
    )
  } catch (error) {
    // deleteVersions warns about each failure itself; anything else must not fail a deploy that succeeded
    core.warning(`Old versions were not deleted: ${describeError(error)}`)
  }
}
