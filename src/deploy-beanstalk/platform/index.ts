import { UserError, awsErrorInfo, describeError } from '../../common/errors.js'
import { debug } from '../../common/log.js'
import { listNames, nearest } from '../../common/suggest.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { PlatformInput } from './inputs.js'
import { fromEnvironment, lifecycleWarning, type PlatformPlan } from './plan.js'
import { retirementOf } from './schedule.js'
import {
  compareVersions,
  isDeprecated,
  isDockerBranch,
  isReady,
  isRecommended,
  isRetired,
  newestReady,
  platformArn,
  platformLabel,
  solutionStackOf,
  type PlatformVersionInfo
} from './versions.js'

/**
 * The platform look-up (read-only): what the environment runs and its lifecycle (DescribePlatformVersion), the
 * version the `platform` input names or `latest` finds (ListPlatformVersions), checked before anything changes:
 * an unknown name or ARN, a platform of another kind (not Docker), one of another region, or one not Ready is
 * refused with the nearest valid ones. The decisions and the words are in plan.ts; the update, the rollback and the
 * report only read the PlatformPlan.
 *
 * The platform step is a function of "the environment deployed to" alone (blue-green deploys to the idle twin:
 * given the twin, the platform update goes to the twin only).
 */
export { parsePlatformInput, type PlatformInput } from './inputs.js'
export {
  deployStepWithPlatform,
  describePlatform,
  platformNotApplied,
  platformRollback,
  platformRow,
  platformToSend,
  rollbackStepWithPlatform,
  type PlatformPlan
} from './plan.js'

const DOCKER_READY = [
  { type: 'PlatformBranchName', operator: 'begins_with', value: 'Docker running on ' },
  { type: 'PlatformStatus', operator: '=', value: 'Ready' }
] as const

/** An error's code and first line (AWS may echo the request, headers included, after it). */
function briefly(error: unknown): string {
  const info = awsErrorInfo(error)
  const text = info ? `${info.code}: ${info.message}` : describeError(error)
  const line = text.split('\n')[0].replace(/ The request was:.*$/, '')
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** A DescribePlatformVersion refused because no such platform exists (not a permission or a fault). */
function isNotFound(error: unknown): boolean {
  const info = awsErrorInfo(error)
  // the API reference documents no error for an unknown ARN: any client error that is not about the caller
  return (
    info !== undefined &&
    (info.httpStatus === undefined || (info.httpStatus >= 400 && info.httpStatus < 500)) &&
    !/AccessDenied|NotAuthorized|Unauthorized|Throttl|Expired|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|Credentials/i.test(
      info.code
    )
  )
}

export async function lookUpPlatform(
  beanstalk: BeanstalkGateway,
  input: PlatformInput,
  environment: EnvironmentInfo,
  /** YYYY-MM-DD, for retirement dates */
  today: string
): Promise<PlatformPlan> {
  const region = beanstalk.region
  const known = fromEnvironment(environment)
  const plan: PlatformPlan = {
    input: input.kind,
    current: known,
    branchChange: false,
    warnings: [],
    notes: []
  }
  if (!known) {
    if (input.kind !== 'keep')
      throw new UserError(
        `Beanstalk did not say which platform ${environment.name} runs (no PlatformArn), so platform "${input.kind === 'latest' ? 'latest' : input.value}" cannot be checked against it. Leave platform empty, or update the platform in the console.`,
        { input: 'platform', title: 'Platform unknown' }
      )
    return plan
  }
  let current: PlatformVersionInfo
  try {
    current = { ...known, ...(await beanstalk.platforms.version(known.arn)) }
  } catch (error) {
    // Without `platform`, the lifecycle check is advice: a missing permission must not stop the deploy.
    if (input.kind !== 'keep') throw error
    if (isNotFound(error)) {
      plan.notes.push(
        `Beanstalk does not describe ${known.arn} (${briefly(error)}): its lifecycle could not be checked`
      )
      return plan
    }
    plan.warnings.push(
      `Could not check whether ${environment.name}'s platform is deprecated (DescribePlatformVersion: ${briefly(error)}). Allow elasticbeanstalk:DescribePlatformVersion and elasticbeanstalk:ListPlatformVersions (docs/iam/deploy-policy.json) to get this check.`
    )
    return plan
  }
  plan.current = current
  const branchVersions = async () =>
    current.branch
      ? await beanstalk.platforms.versions([
          { type: 'PlatformBranchName', operator: '=', value: current.branch },
          { type: 'PlatformStatus', operator: '=', value: 'Ready' }
        ])
      : []
  const retiring = isDeprecated(current) || isRetired(current) || retirementOf(current.branch) !== undefined
  // one request (DescribePlatformVersion) on a deploy that keeps a current platform: the list only when it helps
  const needNewest = input.kind === 'latest' || retiring
  const newest = needNewest ? newestReady(await branchVersions()) : undefined
  plan.newest = newest

  if (input.kind === 'latest') {
    if (!current.branch)
      throw new UserError(
        `${environment.name} runs ${current.arn}, which belongs to no platform branch (a custom platform?), so platform: latest has no branch to follow. Set platform to a platform ARN, or leave it empty.`,
        { input: 'platform', title: 'No platform branch' }
      )
    if (!newest)
      throw new UserError(
        `Branch "${current.branch}" has no Ready platform version in ${region}, so platform: latest has nothing to move to. Leave platform empty.`,
        { input: 'platform', title: 'No platform version' }
      )
    if (compareVersions(newest.version, current.version) > 0) plan.target = newest
    else
      plan.notes.push('platform: latest: already the newest Ready version of its branch, nothing to change')
  } else if (input.kind === 'arn' || input.kind === 'stack') {
    const target = await resolveNamed(beanstalk, input, region)
    if (target.arn === current.arn)
      plan.notes.push(`platform: ${environment.name} already runs it, nothing to change`)
    else {
      plan.target = target
      plan.branchChange = target.branch !== current.branch
    }
  }

  if (!plan.target && input.kind !== 'latest') {
    if (newest && compareVersions(newest.version, current.version) > 0)
      plan.notes.push(
        `a newer version of this branch exists: ${newest.version} (${platformLabel(newest)}); platform: latest updates to it`
      )
    else if (!newest && current.branch && !isRecommended(current))
      plan.notes.push(
        'not the recommended (newest) version of its branch: platform: latest updates to the newest'
      )
  }
  const running = plan.target ?? current
  const subject = plan.target ? `The target platform is` : `${environment.name} runs`
  const lifecycleNeeded =
    isDeprecated(running) || isRetired(running) || retirementOf(running.branch) !== undefined
  if (lifecycleNeeded) {
    const leaveTo = await newestSupportedDocker(beanstalk).catch((error: unknown) => {
      debug(`Looking for a supported Docker branch failed (ignored): ${describeError(error)}`)
      return undefined
    })
    const warning = lifecycleWarning(subject, running, {
      today,
      newest: running.branch === current.branch ? newest : undefined,
      leaveTo
    })
    if (warning) plan.warnings.push(warning)
  }
  return plan
}

/** The newest Ready version of the newest supported Docker branch (ListPlatformBranches, ListPlatformVersions). */
async function newestSupportedDocker(beanstalk: BeanstalkGateway): Promise<PlatformVersionInfo | undefined> {
  const branches = (await beanstalk.platforms.branches('Docker')).filter(
    b => isDockerBranch(b.branch) && b.state?.toLowerCase() === 'supported'
  )
  const branch = branches.sort((a, b) => (b.order ?? 0) - (a.order ?? 0))[0]
  if (!branch) return undefined
  return newestReady(
    await beanstalk.platforms.versions([
      { type: 'PlatformBranchName', operator: '=', value: branch.branch },
      { type: 'PlatformStatus', operator: '=', value: 'Ready' }
    ])
  )
}

/** The version an ARN or a solution stack name names, checked: in this region, existing, Ready, Docker. */
async function resolveNamed(
  beanstalk: BeanstalkGateway,
  input: Extract<PlatformInput, { kind: 'arn' | 'stack' }>,
  region: string
): Promise<PlatformVersionInfo> {
  const arn = input.kind === 'arn' ? input.value : platformArn(region, input.branch, input.version)
  let found: PlatformVersionInfo | undefined
  if (input.kind !== 'arn' || input.parts.region === region) {
    try {
      found = await beanstalk.platforms.version(arn)
    } catch (error) {
      if (!isNotFound(error)) throw error
    }
  }
  if (
    found &&
    input.kind === 'stack' &&
    found.solutionStack !== undefined &&
    found.solutionStack !== input.value
  )
    found = undefined
  if (found && isReady(found) && isDockerBranch(found.branch)) return found

  // refused: say why, with the nearest valid ones
  const docker = await beanstalk.platforms.versions([...DOCKER_READY])
  const key = (v: PlatformVersionInfo) => (input.kind === 'arn' ? v.arn : (solutionStackOf(v) ?? v.arn))
  const shown = (v: PlatformVersionInfo) => key(v)
  let why: string
  let suggestion: PlatformVersionInfo | undefined
  if (input.kind === 'arn' && input.parts.region !== region) {
    const here = docker.find(v => v.arn === platformArn(region, input.parts.name, input.parts.version))
    why = `it is a platform of ${input.parts.region}, but the environment is in ${region} (a platform ARN holds its region)${here ? '' : `, and ${input.parts.name} ${input.parts.version} is not available in ${region}`}.`
    suggestion = here
  } else if (!found) {
    why = `no such platform version in ${region} (names are case-sensitive).`
  } else if (!isDockerBranch(found.branch)) {
    why = `it is a ${found.branch ?? found.name ?? 'custom'} platform, not Docker: a docker-compose.yml bundle runs on a "Docker running on …" branch only.`
  } else {
    why = `it is ${found.status ?? 'not Ready'}, not Ready: it cannot be deployed to yet.`
  }
  suggestion ??= nearest(input.value, docker, Math.max(4, Math.floor(input.value.length / 4)), key)
  const newestPerBranch = [...new Set(docker.map(v => v.branch ?? ''))]
    .map(branch => newestReady(docker.filter(v => v.branch === branch)))
    .filter((v): v is PlatformVersionInfo => v !== undefined)
    .sort((a, b) => compareVersions(b.version, a.version))
  const parts = [`Input 'platform' is "${input.value}": ${why}`]
  if (suggestion) parts.push(`Did you mean "${shown(suggestion)}"?`)
  parts.push(
    `Docker platform versions in ${region} (the newest of each branch): ${listNames(newestPerBranch.map(shown), 5)}. Or use platform: latest (the newest version of the environment's own branch).`
  )
  throw new UserError(parts.join(' '), { input: 'platform', title: 'Platform not usable' })
}
