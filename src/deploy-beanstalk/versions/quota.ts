import { UserError, awsErrorInfo } from '../../common/errors.js'
import type { VersionInfo } from '../aws/beanstalk.js'
import type { RetentionPlan } from './retention.js'

/**
 * The quota of application versions (ApplicationVersionQuota, per account and region, all applications together):
 * how full it is, who holds it, and what we say about it: the plan's line, the warning from 80 %, the error at the
 * cap. Pure.
 */

/** From this share of the quota used on, the plan warns. */
export const WARN_AT = 0.8

export interface QuotaUsage {
  region: string
  /** ApplicationVersionQuota.Maximum; undefined when it could not be read. */
  quota?: number
  /** Versions in the region, all applications. */
  used: number
  /** Versions per application, most first. */
  byApplication: Array<[string, number]>
}

export function quotaUsage(region: string, quota: number | undefined, versions: VersionInfo[]): QuotaUsage {
  const counts = new Map<string, number>()
  for (const v of versions) counts.set(v.application ?? '?', (counts.get(v.application ?? '?') ?? 0) + 1)
  const byApplication = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return { region, quota, used: versions.length, byApplication }
}

const percent = (usage: QuotaUsage) =>
  usage.quota ? Math.floor((100 * usage.used) / usage.quota) : undefined

export function describeUsage(usage: QuotaUsage): string {
  const holders = usage.byApplication
    .slice(0, 6)
    .map(([app, n]) => `${app} ${n}`)
    .join(', ')
  const more = usage.byApplication.length > 6 ? `, ${usage.byApplication.length - 6} more applications` : ''
  const of = usage.quota === undefined ? ' (quota unknown)' : ` of ${usage.quota} (${percent(usage)}%)`
  return `${usage.used}${of} application versions used in ${usage.region}${holders ? `: ${holders}${more}` : ''}`
}

/** The message for a reached quota: the numbers, who holds them, and the input that fixes it. */
export function quotaReachedMessage(usage: QuotaUsage, application: string, keep?: number): string {
  const head = `Beanstalk's quota of application versions in ${usage.region} is reached: ${describeUsage(usage)}. No new version can be created until old ones are deleted (AWS does not raise this quota; it asks you to delete old versions).`
  if (keep !== undefined) return head
  return `${head} Set the input keep-versions (such as keep-versions: 50) to delete ${application}'s oldest versions first (never one an environment runs, the previous one or the one being deployed), or delete old versions in the Beanstalk console (Application versions).`
}

/** CreateApplicationVersion refused with TooManyApplicationVersions: the same plain message, with the fix. */
export function tooManyVersionsError(
  error: unknown,
  ctx: { application: string; region: string; retention?: RetentionPlan }
): UserError {
  const usage = ctx.retention?.usage
  const message = usage
    ? quotaReachedMessage(
        { ...usage, used: Math.max(usage.used, usage.quota ?? 0) },
        ctx.application,
        ctx.retention?.keep
      )
    : `Beanstalk refused a new version: ${awsErrorInfo(error)?.message ?? String(error)} Set the input keep-versions (such as keep-versions: 50) to delete ${ctx.application}'s oldest versions first, or delete old versions in the Beanstalk console.`
  const extra =
    ctx.retention?.keep !== undefined
      ? ` keep-versions: ${ctx.retention.keep} deleted ${ctx.retention.deleted.length} version(s) of ${ctx.application}, not enough: lower it, or set keep-versions on the deploys of the applications that hold the most versions.`
      : ''
  return new UserError(message + extra, {
    input: 'keep-versions',
    title: 'Too many application versions',
    cause: error
  })
}

/** The warning from 80 % of the quota used, naming the fix when keep-versions is not set. */
export function quotaWarning(plan: RetentionPlan, application: string): string | undefined {
  const usage = plan.usage
  if (!usage?.quota || usage.used < WARN_AT * usage.quota || plan.pruneFirst) return undefined
  const fix =
    plan.keep === undefined
      ? ` At ${usage.quota} every deploy fails until old versions are deleted: set keep-versions (such as 50) on the deploys of ${application} and of the other applications listed.`
      : ` keep-versions: ${plan.keep} deletes ${plan.toDelete.length} of ${application}'s after this deploy; the other applications need keep-versions too.`
  return `Application versions: ${describeUsage(usage)}.${fix}`
}
