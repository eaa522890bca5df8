import { UserError, describeError } from '../../common/errors.js'
import type { BeanstalkGateway, EnvironmentInfo, VersionInfo } from '../aws/beanstalk.js'
import type { RetentionInputs } from './inputs.js'
import { describeUsage, quotaReachedMessage, quotaUsage, type QuotaUsage } from './quota.js'

/**
 * Versions over time: Beanstalk caps application versions per account and region (ApplicationVersionQuota,
 * 1,000 by default, all applications together; quota.ts says how full it is). The look-up reads the quota and the
 * usage (read-only); the plan (pure) says what `keep-versions` deletes, what it never deletes, and whether the cap
 * must be made room under first; the deletions are carried out after a successful deploy (or before
 * CreateApplicationVersion at the cap) by prune.ts, each one logged, a failure only a warning.
 */

export const GONE = new Set(['Terminated', 'Terminating'])

/** What the read-only look-up found; a part that could not be read is undefined, with the reason. */
export interface VersionsLookup {
  quota?: number
  /** Every version in the region (all applications). */
  versions?: VersionInfo[]
  /** The live environments of the application. */
  environments?: EnvironmentInfo[]
  problems: string[]
}

export interface RetentionPlan extends RetentionInputs {
  usage?: QuotaUsage
  /** This application's versions before the deploy. */
  applicationVersions: number
  /** Oldest first: what keep-versions deletes (after a successful deploy, or first at the cap). */
  toDelete: VersionInfo[]
  /** Versions beyond the newest `keep` that stay, and why. */
  protected: Array<{ label: string; reason: string }>
  /** The quota is reached: delete before CreateApplicationVersion. */
  pruneFirst: boolean
  /** Labels deleted so far, filled in while the plan is carried out (the output `versions-deleted`). */
  deleted: string[]
  /** Parts of the look-up that failed (the deploy goes on; nothing is deleted without the listing). */
  problems: string[]
  /**
   * The versions to delete whose S3 bundle other versions (of any application in the region) point at too: the
   * bundle is deleted only with the last of them (prune.ts), never while one of `others` remains.
   */
  sharedBundles: SharedBundle[]
}

/** A version to delete whose bucket/key other versions use too. */
export interface SharedBundle {
  label: string
  bucket: string
  key: string
  /** The other versions on the same bucket/key, as `application/label`. */
  others: string[]
}

/** Which versions to delete share their bundle with other versions of the region (any application). Pure. */
export function findSharedBundles(
  toDelete: VersionInfo[],
  all: VersionInfo[],
  application: string
): SharedBundle[] {
  const users = new Map<string, string[]>()
  const where = (v: VersionInfo) => (v.bucket && v.key ? `${v.bucket}\n${v.key}` : undefined)
  for (const v of all) {
    const at = where(v)
    if (at !== undefined)
      users.set(at, [...(users.get(at) ?? []), `${v.application ?? application}/${v.label}`])
  }
  const shared: SharedBundle[] = []
  for (const v of toDelete) {
    const at = where(v)
    const self = `${application}/${v.label}`
    const others = at === undefined ? [] : (users.get(at) ?? []).filter(user => user !== self)
    if (v.bucket && v.key && others.length > 0)
      shared.push({ label: v.label, bucket: v.bucket, key: v.key, others })
  }
  return shared
}

/** The versions still on a shared bundle once `deleted` (labels of `application`) are gone. */
export function bundleStillUsed(
  shared: SharedBundle,
  application: string,
  deleted: readonly string[]
): string[] {
  return shared.others.filter(user => !deleted.some(label => user === `${application}/${label}`))
}

/** Quota, versions and environments in parallel; each failure is recorded, never thrown (awareness only). */
export async function lookUpVersions(
  beanstalk: BeanstalkGateway,
  application: string,
  needEnvironments: boolean
): Promise<VersionsLookup> {
  const problems: string[] = []
  const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn()
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`)
      return undefined
    }
  }
  const [quota, versions, environments] = await Promise.all([
    guard('DescribeAccountAttributes (the quota)', () => beanstalk.versionQuota()),
    guard('DescribeApplicationVersions (the versions)', () => beanstalk.listVersions()),
    needEnvironments
      ? guard(`DescribeEnvironments (what the environments of ${application} run)`, async () =>
          (await beanstalk.environments({ application })).filter(e => !GONE.has(e.status))
        )
      : Promise.resolve(undefined)
  ])
  return { quota, versions, environments, problems }
}

/**
 * Which of this application's versions `keep` deletes: all but the newest `keep` (a new version counts as the
 * newest), never a protected one. Versions without a date or still being processed are kept. Pure.
 */
export function chooseDeletions(
  versions: VersionInfo[],
  keep: number,
  protect: ReadonlyMap<string, string>,
  newLabel?: string
): { toDelete: VersionInfo[]; kept: Array<{ label: string; reason: string }> } {
  const withNew = newLabel !== undefined && !versions.some(v => v.label === newLabel)
  const dated = versions.filter(v => v.created !== undefined)
  const newestFirst = [...dated].sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0))
  const beyond = newestFirst.slice(Math.max(0, keep - (withNew ? 1 : 0)))
  const kept: Array<{ label: string; reason: string }> = []
  const toDelete: VersionInfo[] = []
  for (const v of beyond) {
    const reason =
      protect.get(v.label) ??
      (/^(processing|building)$/i.test(v.status) ? 'still being processed' : undefined)
    if (reason) kept.push({ label: v.label, reason })
    else toDelete.push(v)
  }
  for (const v of versions.filter(v => v.created === undefined))
    kept.push({ label: v.label, reason: 'its date is unknown' })
  return { toDelete: toDelete.reverse(), kept }
}

/** The versions that must stay whatever keep-versions says, with the reason. */
export function protectedVersions(ctx: {
  environments: EnvironmentInfo[]
  label: string
  previousLabel?: string
}): Map<string, string> {
  const protect = new Map<string, string>()
  for (const env of ctx.environments) {
    if (env.versionLabel) {
      const before = protect.get(env.versionLabel)
      protect.set(env.versionLabel, before ? `${before}, ${env.name}` : `runs in ${env.name}`)
    }
  }
  if (ctx.previousLabel) protect.set(ctx.previousLabel, 'the previous version, the rollback target')
  protect.set(ctx.label, 'the version being deployed')
  return protect
}

export interface RetentionContext {
  application: string
  region: string
  label: string
  previousLabel?: string
  /** True when this run creates the version (the quota matters). */
  createsVersion: boolean
  retention: RetentionInputs
}

/**
 * The retention plan from the look-up. At the cap without `keep-versions` (or with nothing it may delete), a
 * new version cannot be created: that is an error now, before anything changes. Pure.
 */
export function planRetention(lookup: VersionsLookup, ctx: RetentionContext): RetentionPlan {
  const usage = lookup.versions ? quotaUsage(ctx.region, lookup.quota, lookup.versions) : undefined
  const mine = (lookup.versions ?? []).filter(v => v.application === ctx.application)
  const problems = [...lookup.problems]
  let toDelete: VersionInfo[] = []
  let kept: Array<{ label: string; reason: string }> = []
  if (ctx.retention.keep !== undefined && lookup.versions && lookup.environments) {
    const protect = protectedVersions({ ...ctx, environments: lookup.environments })
    // an environment in the middle of an update may be deploying any version: deleteVersions reads the
    // environments again right before deleting, and deletes nothing while one is busy
    ;({ toDelete, kept } = chooseDeletions(mine, ctx.retention.keep, protect, ctx.label))
  } else if (ctx.retention.keep !== undefined) {
    problems.push('nothing will be deleted: the versions or environments could not be listed')
  }
  const atCap =
    ctx.createsVersion && usage?.quota !== undefined && usage.used >= usage.quota && lookup.versions
  if (atCap && usage) {
    if (ctx.retention.keep === undefined) {
      throw new UserError(quotaReachedMessage(usage, ctx.application), {
        input: 'keep-versions',
        title: 'Too many application versions'
      })
    }
    if (toDelete.length === 0) {
      throw new UserError(
        `${quotaReachedMessage(usage, ctx.application, ctx.retention.keep)} keep-versions: ${ctx.retention.keep} keeps every one of ${ctx.application}'s ${mine.length} versions (the newest ${ctx.retention.keep} and ${kept.length} that must stay: ${kept
          .slice(0, 5)
          .map(k => `${k.label} ${k.reason}`)
          .join(
            '; '
          )}), so nothing can be deleted to make room. Lower keep-versions, or set keep-versions on the deploys of the applications that hold the most versions.`,
        { input: 'keep-versions', title: 'Too many application versions' }
      )
    }
  }
  return {
    ...ctx.retention,
    usage,
    applicationVersions: mine.length,
    toDelete,
    protected: kept,
    pruneFirst: Boolean(atCap),
    deleted: [],
    problems,
    sharedBundles: findSharedBundles(toDelete, lookup.versions ?? [], ctx.application)
  }
}

/** The plan's lines about versions over time. */
export function describeRetention(plan: RetentionPlan, application: string, dryRun: boolean): string[] {
  const lines: string[] = []
  if (plan.usage) lines.push(`Versions:     ${describeUsage(plan.usage)}`)
  else lines.push('Versions:     the quota and usage could not be read (see the warning)')
  if (plan.keep === undefined) {
    lines.push('Keep:         all versions (keep-versions is not set: nothing is deleted)')
    return lines
  }
  const when = plan.pruneFirst
    ? 'before the new version is created (the quota is reached), '
    : 'after a successful deploy, '
  const what = plan.toDelete.length
    ? `${dryRun ? 'would delete' : 'deletes'} ${plan.toDelete.length} ${when}oldest first${plan.deleteSourceBundles ? ', with their S3 bundles' : ' (their S3 bundles stay)'}: ${plan.toDelete.map(v => v.label).join(', ')}`
    : 'nothing to delete'
  lines.push(
    `Keep:         the newest ${plan.keep} of ${application}'s ${plan.applicationVersions} versions; ${what}`
  )
  if (plan.protected.length > 0) {
    lines.push(`Never delete: ${plan.protected.map(p => `${p.label} (${p.reason})`).join(', ')}`)
  }
  const kept = plan.deleteSourceBundles
    ? plan.sharedBundles.filter(
        shared =>
          bundleStillUsed(
            shared,
            application,
            plan.toDelete.map(v => v.label)
          ).length > 0
      )
    : []
  if (kept.length > 0) {
    lines.push(
      `Bundles kept: ${kept
        .map(
          shared =>
            `s3://${shared.bucket}/${shared.key} of ${shared.label} (also the bundle of ${bundleStillUsed(
              shared,
              application,
              plan.toDelete.map(v => v.label)
            ).join(', ')})`
        )
        .join('; ')}: a bundle is deleted only when no remaining version points at it`
    )
  }
  return lines
}
