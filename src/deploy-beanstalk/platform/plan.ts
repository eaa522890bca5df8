import type { EnvironmentInfo } from '../aws/beanstalk.js'
import type { PlatformInput } from './inputs.js'
import { retirementOf, SCHEDULE_URL } from './schedule.js'
import {
  compareVersions,
  isDeprecated,
  isRetired,
  operatingSystemOf,
  platformLabel,
  solutionStackOf,
  type PlatformVersionInfo
} from './versions.js'

/**
 * The platform part of the plan: what the environment runs, what it will run, what changes, and the warnings about
 * a deprecated or retiring platform. Decided before anything changes; printed by every plan and dry run. Pure.
 */
export interface PlatformPlan {
  input: PlatformInput['kind']
  /** What the environment runs now (undefined when Beanstalk did not say). */
  current?: PlatformVersionInfo
  /** The version to move to, when the platform changes (its ARN goes in the UpdateEnvironment). */
  target?: PlatformVersionInfo
  /** The target is on another branch than the current version (only with an explicit ARN or name). */
  branchChange: boolean
  /** The newest Ready version of the current branch, when it was looked up. */
  newest?: PlatformVersionInfo
  /** Deprecated or retiring platform: a warning annotation on every plan and dry run. */
  warnings: string[]
  /** Plan lines that are not warnings (a newer version exists; already the newest). */
  notes: string[]
}

/** The ARN to send with the update, when the platform changes. */
export function platformToSend(plan: PlatformPlan | undefined): string | undefined {
  return plan?.target?.arn
}

/** What is known of the platform the environment runs, from DescribeEnvironments alone. */
export function fromEnvironment(env: EnvironmentInfo): PlatformVersionInfo | undefined {
  if (!env.platformArn) return undefined
  const version = /\/(\d+(?:\.\d+)*)$/.exec(env.platformArn)?.[1] ?? ''
  return { arn: env.platformArn, version, solutionStack: env.solutionStack }
}

const stateOf = (v: PlatformVersionInfo): string =>
  isRetired(v) ? 'retired' : isDeprecated(v) ? 'deprecated' : (v.branchState ?? 'state unknown').toLowerCase()

/**
 * The warning about a platform version that is deprecated, retired, or has a published retirement date (undefined
 * when it is current). `subject` says whose platform it is ("BrillianCRM-env runs", "The target platform is").
 */
export function lifecycleWarning(
  subject: string,
  v: PlatformVersionInfo,
  context: {
    /** YYYY-MM-DD */
    today: string
    /** the newest Ready version of the same branch */
    newest?: PlatformVersionInfo
    /** the newest version of the newest supported Docker branch: where a branch change would go */
    leaveTo?: PlatformVersionInfo
  }
): string | undefined {
  const retirement = retirementOf(v.branch)
  if (!isDeprecated(v) && !isRetired(v) && !retirement) return undefined
  const branch = v.branch ? `branch "${v.branch}"` : 'its branch'
  const state = isRetired(v) || isDeprecated(v) ? stateOf(v) : 'supported but has a retirement date'
  const when = retirement
    ? retirement.date < context.today
      ? `its published retirement date, ${retirement.date}, has passed (${retirement.why})`
      : `it retires on ${retirement.date} (${retirement.why})`
    : `the API gives no retirement date: see ${SCHEDULE_URL}`
  const parts = [`${subject} "${platformLabel(v)}" on ${branch}, which is ${state}: ${when}.`]
  const newer =
    context.newest && compareVersions(context.newest.version, v.version) > 0 ? context.newest : undefined
  parts.push(
    newer
      ? `platform: latest moves it to ${newer.version}, the newest version of this branch, but stays on the branch.`
      : 'platform: latest keeps it on this branch (it is the newest version there).'
  )
  const leave =
    context.leaveTo && context.leaveTo.branch !== v.branch ? solutionStackOf(context.leaveTo) : undefined
  parts.push(
    leave
      ? `To leave the branch, set platform to "${leave}" (a branch change: try it on a staging environment first).`
      : 'To leave the branch, set platform to a version of a supported Docker branch (aws elasticbeanstalk list-platform-branches), and try it on a staging environment first.'
  )
  return parts.join(' ')
}

/** The plan's platform lines. */
export function describePlatform(plan: PlatformPlan): string[] {
  const lines: string[] = []
  const current = plan.current
  const now = current
    ? `${platformLabel(current)}${current.branch ? ` (branch ${current.branch}, ${stateOf(current)})` : ''}`
    : 'unknown (Beanstalk did not say)'
  lines.push(`Platform:     ${now}`)
  for (const note of plan.notes) lines.push(`              ${note}`)
  if (plan.target) {
    const why =
      plan.input === 'latest'
        ? 'platform: latest, the newest Ready version of the same branch'
        : plan.input === 'arn'
          ? 'the platform ARN given'
          : 'the solution stack name given'
    lines.push(`Platform to:  ${platformLabel(plan.target)} (${why})`)
    lines.push(`              ${whatChanges(plan)}`)
  }
  return lines
}

/** "version 4.4.0 → 4.10.0, same branch" or the branch change in full. */
export function whatChanges(plan: PlatformPlan): string {
  const { current, target } = plan
  if (!target) return 'no platform change'
  const versions = `platform version ${current?.version || '?'} → ${target.version}`
  if (!plan.branchChange) return `${versions}, same branch (${target.branch ?? 'unknown'})`
  const os = [operatingSystemOf(current?.branch), operatingSystemOf(target.branch)]
  return `BRANCH CHANGE: ${current?.branch ?? 'unknown'} → ${target.branch ?? 'unknown'}${os[0] && os[1] && os[0] !== os[1] ? ` (operating system ${os[0]} → ${os[1]})` : ''}; ${versions}. Check the app on the new branch first (a staging environment).`
}

/** The deploy step of the plan, with the platform when it changes. */
export function deployStepWithPlatform(step: string, plan: PlatformPlan | undefined): string {
  if (!plan?.target) return step
  return `${step}, on platform version ${plan.target.version}${plan.branchChange ? ` of branch ${plan.target.branch ?? '?'}` : ''} in the same update (if Beanstalk refuses both in one, the platform first)`
}

/** The rollback step of the plan, with the previous platform when it changes. */
export function rollbackStepWithPlatform(step: string, plan: PlatformPlan | undefined): string {
  if (!plan?.target || !plan.current) return step
  const platform = `platform version ${plan.current.version}`
  return /^on failure, no rollback/.test(step) ? `on failure, restore ${platform}` : `${step} and ${platform}`
}

/**
 * The platform to send back in a rollback: the previous one, when the deploy changed it and the environment is not
 * (known to be) on it now.
 */
export function platformRollback(
  plan: PlatformPlan | undefined,
  now: EnvironmentInfo | undefined
): string | undefined {
  if (!plan?.target || !plan.current) return undefined
  if (now?.platformArn === plan.current.arn) return undefined
  return plan.current.arn
}

/** After an update said to succeed: a reason when the environment does not run the target platform. */
export function platformNotApplied(plan: PlatformPlan | undefined, env: EnvironmentInfo): string | undefined {
  const target = plan?.target
  if (!target || !env.platformArn || env.platformArn === target.arn) return undefined
  return `Beanstalk ended the update, but ${env.name} runs platform ${env.platformArn}, not ${target.arn}.`
}

/** The summary's Platform row. */
export function platformRow(
  plan: PlatformPlan | undefined,
  outcome: { result: string; environment?: EnvironmentInfo; platformApplied?: string }
): string | undefined {
  if (!plan) return undefined
  const current = plan.current ? platformLabel(plan.current) : 'unknown'
  const warn =
    plan.warnings.length > 0
      ? ` ⚠️ ${plan.warnings.length === 1 ? 'deprecated or retiring (see the warning)' : 'deprecated or retiring (see the warnings)'}`
      : ''
  if (!plan.target) return `${current}${warn}`
  const target = platformLabel(plan.target)
  const change = `${current} → ${target}${plan.branchChange ? ' (branch change)' : ''}`
  if (outcome.result === 'dry-run') return `${change}: not sent (dry run)${warn}`
  const now = outcome.environment?.platformArn
  const runs =
    now === plan.target.arn
      ? `runs ${plan.target.version}`
      : now === plan.current?.arn
        ? `runs ${plan.current?.version ?? '?'} (the previous platform)`
        : now
          ? `runs ${now}`
          : ''
  return `${change}${outcome.platformApplied ? `: sent ${outcome.platformApplied}` : ''}${runs ? `; ${runs}` : ''}${warn}`
}
