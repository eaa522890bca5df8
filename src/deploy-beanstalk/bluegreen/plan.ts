import { beanstalkConsoleUrl } from '../../common/aws.js'
import { hostOf, type LiveCname } from '../../common/pair.js'
import type { EnvironmentInfo } from '../aws/types.js'
import type { Plan } from '../plan.js'

/**
 * The blue/green part of the plan, pure: which of the pair is live and which idle, and when the idle twin does not
 * exist, how it is made (what `eb clone` does: a configuration template saved from the live environment, then
 * CreateEnvironment with the same platform, option settings and tags, at a CNAME of its own). Only the idle one is
 * ever deployed to: the plan's environment is the idle one.
 */

/** A twin to create: a clone of the live environment. */
export interface TwinToCreate {
  name: string
  /** Its own CNAME prefix (checked free with CheckDNSAvailability), and the host it makes. */
  cnamePrefix: string
  host: string
  /** The configuration template saved from the live environment, deleted again once the twin is created. */
  templateName: string
  /** The version it starts with: the live one's. */
  versionLabel: string
  /** The live environment's own tags (not AWS's or Beanstalk's). */
  tags: Record<string, string>
}

export interface BlueGreenPlan {
  liveCname: LiveCname
  live: EnvironmentInfo
  idleName: string
  /** The idle environment as found; undefined when it is created by this run (`create`). */
  idle?: EnvironmentInfo
  create?: TwinToCreate
}

/**
 * The CNAME prefixes a new twin may take, in order: `<live prefix>-twin`, then the idle environment's name (lower
 * case). Each is a valid prefix (4 to 63 letters, digits, hyphens); the first free one is taken.
 */
export function twinPrefixCandidates(live: LiveCname, idleName: string): string[] {
  const candidates = [`${live.prefix}-twin`, idleName.toLowerCase()].filter(
    p => /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/.test(p) && p !== live.prefix
  )
  return [...new Set(candidates)]
}

/** The template name for a clone: deterministic, so a template left by an interrupted run is found and replaced. */
export function templateNameFor(idleName: string, liveName: string): string {
  return `${idleName}-from-${liveName}`.slice(0, 100)
}

/** The tags a clone gets: the live one's own, without `Name` when it is the live environment's name (Beanstalk's). */
export function cloneTags(tags: Record<string, string>, liveName: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).filter(([key, value]) => !(key === 'Name' && value === liveName))
  )
}

export function twinToCreate(
  live: EnvironmentInfo,
  idleName: string,
  cnamePrefix: string,
  region: string,
  tags: Record<string, string>
): TwinToCreate {
  return {
    name: idleName,
    cnamePrefix,
    host: hostOf(cnamePrefix, region),
    templateName: templateNameFor(idleName, live.name),
    versionLabel: live.versionLabel ?? '',
    tags: cloneTags(tags, live.name)
  }
}

/**
 * The plan, pointed at the idle environment. When the twin is created, the plan's environment is the twin as it will
 * be (no id yet, running the live one's version, which is the rollback target): `withTwin` sets it once it exists.
 */
export function withBlueGreen(plan: Plan, blueGreen: BlueGreenPlan): Plan {
  const twin = blueGreen.create
  if (!twin) return { ...plan, blueGreen }
  const current: EnvironmentInfo = {
    ...blueGreen.live,
    name: twin.name,
    id: '',
    status: 'Launching',
    health: 'Grey',
    cname: twin.host,
    endpointUrl: undefined,
    arn: undefined
  }
  return {
    ...plan,
    blueGreen,
    environment: twin.name,
    environmentId: '',
    environmentStatus: 'not created yet',
    current,
    previousLabel: blueGreen.live.versionLabel,
    consoleUrl: beanstalkConsoleUrl(plan.region, undefined, plan.application)
  }
}

/** The plan once the twin exists and is Ready: its id, state and console link. */
export function withTwin(plan: Plan, twin: EnvironmentInfo): Plan {
  return {
    ...plan,
    environment: twin.name,
    environmentId: twin.id,
    environmentStatus: twin.status,
    current: twin,
    previousLabel: twin.versionLabel,
    consoleUrl: beanstalkConsoleUrl(plan.region, twin.id, plan.application)
  }
}

const where = (env: EnvironmentInfo) =>
  `${env.name} (${env.cname ?? 'no CNAME'}, ${env.status}, running ${env.versionLabel ?? 'no version'})`

/** The plan's blue/green lines. */
export function describeBlueGreen(bg: BlueGreenPlan): string[] {
  const lines = [`Live:         ${where(bg.live)}: holds ${bg.liveCname.host}; not changed by this step`]
  const twin = bg.create
  if (!twin) {
    lines.push(`Idle:         ${bg.idle ? where(bg.idle) : bg.idleName}: deployed to`)
    return lines
  }
  const tags = Object.keys(twin.tags).length
  lines.push(
    `Idle:         ${twin.name} does not exist: it is created as a clone of ${bg.live.name} (same platform, option settings and ${tags} tag${tags === 1 ? '' : 's'}; a configuration template saved from it), at ${twin.host}, starting on ${twin.versionLabel}; then deployed to`,
    `Cost:         one more environment (an instance like ${bg.live.name}'s, with what it has besides: Elastic IP or load balancer) runs and is billed while ${twin.name} exists; swap-environments' idle-after-swap: terminate removes it after a release`
  )
  return lines
}

/** The plan's steps for the twin, before the deploy. */
export function twinSteps(bg: BlueGreenPlan): string[] {
  const twin = bg.create
  if (!twin) return []
  return [
    `save a configuration template of ${bg.live.name} (${twin.templateName})`,
    `create ${twin.name} from it at ${twin.host} on ${twin.versionLabel} (the template is deleted once it is created)`,
    `follow the launch of ${twin.name} until Ready (a launch takes minutes)`
  ]
}
