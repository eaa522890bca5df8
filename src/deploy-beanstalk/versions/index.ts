import * as core from '@actions/core'
import type { BeanstalkGateway, VersionInfo } from '../aws/beanstalk.js'
import type { StorageFor } from '../aws/s3.js'
import type { PreparedBundle } from '../bundle/index.js'
import type { Inputs } from '../inputs.js'
import type { LookedUp } from '../lookup.js'
import { checkExistingVersion, checkMissingLabel, defaultDescription, defaultVersionLabel } from './label.js'
import { describeUsage, quotaWarning } from './quota.js'
import { lookUpVersions, planRetention, type RetentionPlan } from './retention.js'

/**
 * The versions stage, as deploy-beanstalk's main story calls it: which version (label.ts: the label, the
 * description, an existing label; promote.ts: from-environment), read the quota and decide (quota.ts, retention.ts,
 * before anything changes), make room at the cap and delete old versions after a successful deploy (prune.ts),
 * and a new version's upload, creation and processing (create.ts).
 */
export { findPromotion } from './promote.js'
export { tooManyVersionsError } from './quota.js'
export { makeRoom, pruneAfterDeploy } from './prune.js'
export { createVersion, upload, waitProcessed, type Uploaded } from './create.js'

/** The version this run deploys, and what the plan says of versions over time. */
export interface ChosenVersion {
  label: string
  /** The version with this label, when it exists (a redeploy). */
  existing?: VersionInfo
  description: string
  retention: RetentionPlan
  warnings: string[]
  /** What the plan says of a new version built under a label that named nothing (label.ts: checkMissingLabel). */
  note?: string
}

/**
 * The label (the input, the promoted one, or <sha>-<bundle hash>), whether it exists (with the same bundle, or an
 * error), the description, and the retention plan. Read-only.
 */
export async function chooseVersion(
  beanstalk: BeanstalkGateway,
  storageFor: StorageFor,
  inputs: Inputs,
  found: LookedUp,
  bundle: PreparedBundle | undefined,
  ctx: { env: NodeJS.ProcessEnv; workspace: string }
): Promise<ChosenVersion> {
  const label =
    inputs.versionLabel ??
    found.promotion?.label ??
    defaultVersionLabel(ctx.env.GITHUB_SHA ?? '', bundle?.sha256 ?? '')
  const existing =
    found.existing ?? (inputs.versionLabel ? undefined : await beanstalk.version(inputs.application, label))
  if (existing && bundle) {
    const input = inputs.source.kind === 'bundle' ? 'bundle' : 'image'
    await checkExistingVersion(await storageFor(inputs.region), existing, bundle, input)
  }
  // a label given, not found, and nothing to build a new version from but the compose file as it is
  const missing =
    inputs.versionLabel !== undefined &&
    existing === undefined &&
    found.promotion === undefined &&
    inputs.source.kind === 'compose' &&
    inputs.source.image === undefined &&
    bundle !== undefined
      ? await checkMissingLabel(beanstalk, inputs.application, label, bundle, inputs.source.composeFile)
      : undefined
  const description =
    inputs.versionDescription ?? existing?.description ?? (await defaultDescription(ctx.env, ctx.workspace))
  const versions = await planVersions(beanstalk, inputs, {
    label,
    previousLabel: found.environment.versionLabel,
    createsVersion: existing === undefined
  })
  return {
    label,
    existing,
    description,
    retention: versions.retention,
    warnings: [...(missing?.warnings ?? []), ...versions.warnings],
    note: missing?.note
  }
}

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
