import * as core from '@actions/core'
import { awsErrorInfo, describeError, isAwsError } from '../../common/errors.js'
import { phase } from '../../common/log.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { Plan } from '../plan.js'
import { GONE, protectedVersions, type RetentionPlan } from './retention.js'

/**
 * The deletions keep-versions planned (retention.ts): at the cap before CreateApplicationVersion, else after a
 * successful deploy; each one logged, a failure only a warning.
 */

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

/**
 * Deletes the planned versions that are not in use now: the environments are read again first, and while another
 * one is in the middle of an update (its target unknown) nothing is deleted. A failed deletion is a warning.
 */
export async function deleteVersions(
  beanstalk: BeanstalkGateway,
  ctx: {
    application: string
    plan: RetentionPlan
    label: string
    previousLabel?: string
    /**
     * After this run's update was accepted: the environment it deploys to, which may be busy (with our label,
     * which is protected). Before it (at the cap), undefined: a busy target may be deploying anything.
     */
    environmentId?: string
  }
): Promise<void> {
  const { plan } = ctx
  const pending = plan.toDelete.filter(v => !plan.deleted.includes(v.label))
  if (pending.length === 0) {
    core.info(`Nothing to delete: ${ctx.application} keeps its newest ${plan.keep} versions.`)
    return
  }
  let environments: EnvironmentInfo[]
  try {
    environments = (await beanstalk.environments({ application: ctx.application })).filter(
      e => !GONE.has(e.status)
    )
  } catch (error) {
    core.warning(
      `Old versions were not deleted: the environments of ${ctx.application} could not be read (${describeError(error)}).`
    )
    return
  }
  const busy = environments.filter(
    e => e.status !== 'Ready' && (ctx.environmentId === undefined || e.id !== ctx.environmentId)
  )
  if (busy.length > 0) {
    core.warning(
      `Old versions were not deleted this time: ${busy.map(e => `${e.name} is ${e.status}`).join(', ')}, and the version it is deploying is not known. The next deploy deletes them.`
    )
    return
  }
  const protect = protectedVersions({ environments, label: ctx.label, previousLabel: ctx.previousLabel })
  for (const version of pending) {
    const reason = protect.get(version.label)
    if (reason) {
      core.info(`Version ${version.label} kept: it ${reason.replace(/^the /, 'is the ')} now.`)
      continue
    }
    const bundle = version.bucket && version.key ? ` and s3://${version.bucket}/${version.key}` : ''
    try {
      await beanstalk.deleteVersion(ctx.application, version.label, plan.deleteSourceBundles)
      plan.deleted.push(version.label)
      core.info(
        `Deleted version ${version.label}${version.created ? ` (created ${version.created.toISOString()})` : ''}${plan.deleteSourceBundles ? bundle : ''}.`
      )
    } catch (error) {
      if (isAwsError(error, 'SourceBundleDeletionFailure', 'SourceBundleDeletionException')) {
        plan.deleted.push(version.label)
        core.warning(
          `Version ${version.label} was deleted, but its bundle${bundle.replace(' and', '')} stayed in S3: ${describeError(error)} Allow s3:DeleteObject on the bucket's ${ctx.application}/ prefix (docs/iam/deploy-policy.json), or delete it by hand.`
        )
      } else if (
        isAwsError(error, 'InvalidParameterValue') &&
        /No Application Version named/i.test(awsErrorInfo(error)?.message ?? '')
      ) {
        core.info(`Version ${version.label} was already deleted.`)
      } else {
        core.warning(`Version ${version.label} was not deleted: ${describeError(error)}`)
      }
    }
  }
}
