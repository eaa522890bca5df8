import * as core from '@actions/core'
import { UserError, describeError } from '../common/errors.js'
import { closestName, listNames } from '../common/suggest.js'
import type { BeanstalkGateway, EnvironmentInfo, VersionInfo } from './aws/beanstalk.js'
import { lookUpConfiguration, type ConfigurationPlan } from './configuration/index.js'
import type { Inputs } from './inputs.js'
import { lookUpPlatform, type PlatformPlan } from './platform/index.js'
import { findPromotion, type Promotion } from './versions/promote.js'
import type { StorageFor } from './aws/s3.js'
import { debug } from '../common/log.js'
import type { Clock } from '../common/retry.js'

/**
 * The look-up before anything changes (read-only): the application and environment must exist, else a message
 * with the names that do, the closest one, and the other regions where the name exists.
 */

/** IMBIT's regions: where a name that is missing here is looked for (read-only) before giving up. */
export const IMBIT_REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1'] as const

export type GatewayFor = (region: string) => BeanstalkGateway

/** What the look-up found, for the bundle, the version and the plan. */
export interface LookedUp {
  /** The environment deployed to. */
  environment: EnvironmentInfo
  /** The version to deploy, when it exists already (a redeploy by label, or a promotion). */
  existing?: VersionInfo
  configuration?: ConfigurationPlan
  promotion?: Promotion
  /** What the environment runs, what `platform` asks for (checked), the lifecycle warnings (platform/). */
  platform: PlatformPlan
  warnings: string[]
}

/**
 * The look-up, read-only: the environment (its application checked only when it is not found: the environment
 * found proves it, one request fewer of the 20 a minute), the promotion's source, the version named by
 * `version-label`, the configuration's difference, the platform (what it runs, what `platform` names).
 */
export async function lookUp(
  gatewayFor: GatewayFor,
  inputs: Inputs,
  /** S3, to verify a promoted version's bundle (only made when there is a promotion). */
  storageFor: StorageFor,
  /** The action's clock: today's date, for the platform's retirement dates. */
  clock: Clock,
  /** The environment, when it was found already (blue/green: the pair's look-up). */
  known?: EnvironmentInfo
): Promise<LookedUp> {
  const { application, region } = inputs
  const beanstalk = gatewayFor(region)
  const environment =
    known ??
    (await findEnvironment(gatewayFor, region, application, inputs.environment).catch(
      async (error: unknown) => {
        await checkApplication(gatewayFor, region, application)
        throw error
      }
    ))
  core.info(
    `${environment.name} (${environment.id}): ${environment.status}, health ${environment.health}, running ${environment.versionLabel ?? 'no version'}; ${environment.solutionStack ?? environment.platformArn ?? 'platform unknown'}`
  )
  const warnings = [platformWarning(environment)].filter((w): w is string => w !== undefined)
  const promotion = inputs.fromEnvironment
    ? await findPromotion(beanstalk, {
        application,
        region,
        from: inputs.fromEnvironment,
        requiredHealth: inputs.requiredHealth,
        expectedLabel: inputs.versionLabel,
        storage: () => storageFor(region)
      })
    : undefined
  if (promotion)
    core.info(
      `Promoting ${promotion.label} from ${promotion.source.name} (${promotion.source.status}, health ${promotion.source.health}).`
    )
  const existing =
    promotion?.version ??
    (inputs.versionLabel ? await beanstalk.version(application, inputs.versionLabel) : undefined)
  if (existing) core.info(`Version ${existing.label} exists (${existing.status}).`)
  else if (inputs.requireExistingVersion) throw noSuchVersion(inputs)
  const configuration = await lookUpConfiguration(
    beanstalk,
    application,
    environment,
    region,
    inputs.configuration
  )
  if (configuration) warnings.push(...configuration.warnings)
  const today = new Date(clock.now()).toISOString().slice(0, 10)
  const platform = await lookUpPlatform(beanstalk, inputs.platform, environment, today)
  warnings.push(...platform.warnings)
  return { environment, existing, configuration, promotion, platform, warnings }
}

/** `require-existing-version` and the label does not exist: nothing is built, nothing changes. */
function noSuchVersion(inputs: Inputs): UserError {
  return new UserError(
    `Application "${inputs.application}" in ${inputs.region} has no version "${inputs.versionLabel ?? ''}" to redeploy (require-existing-version is true), so nothing was built or changed. Check the label (Beanstalk console → Application versions) and the application name.`,
    { input: 'version-label', title: 'No such version' }
  )
}

const GONE = new Set(['Terminated', 'Terminating'])
const live = (env: EnvironmentInfo) => !GONE.has(env.status)

/** The regions other than this one where `find` says the name exists; failures there are only debug lines. */
async function otherRegions(
  region: string,
  find: (gateway: BeanstalkGateway) => Promise<boolean>,
  gatewayFor: GatewayFor
): Promise<string[]> {
  const others = IMBIT_REGIONS.filter(r => r !== region)
  const found = await Promise.all(
    others.map(async r => {
      try {
        return (await find(gatewayFor(r))) ? r : undefined
      } catch (error) {
        debug(`Looking in ${r} failed (ignored): ${describeError(error)}`)
        return undefined
      }
    })
  )
  return found.filter((r): r is (typeof IMBIT_REGIONS)[number] => r !== undefined)
}

/** The application must exist in the region; else an error with the names that do and the closest. */
export async function checkApplication(
  gatewayFor: GatewayFor,
  region: string,
  application: string
): Promise<void> {
  const gateway = gatewayFor(region)
  const named = await gateway.applicationNames([application])
  if (named.includes(application)) return
  const existing = await gateway.applicationNames()
  const finding: NameFinding = {
    kind: 'application',
    wanted: application,
    region,
    existing,
    otherRegions: await otherRegions(
      region,
      async g => (await g.applicationNames([application])).includes(application),
      gatewayFor
    )
  }
  throw new UserError(describeMissingName(finding), {
    input: 'application-name',
    title: 'Application not found'
  })
}

/** The environment, live, in the application; else an error saying what exists and where. */
export async function findEnvironment(
  gatewayFor: GatewayFor,
  region: string,
  application: string,
  environment: string
): Promise<EnvironmentInfo> {
  const gateway = gatewayFor(region)
  const named = (
    await gateway.environments({ application, names: [environment], includeDeleted: true })
  ).filter(e => e.name === environment)
  const running = named.find(live)
  if (running) return running
  if (named.length > 0) {
    throw new UserError(
      `Environment "${environment}" of "${application}" in ${region} is ${named[0].status}: it cannot be deployed to. Re-create it (or restore it within an hour of termination from the Beanstalk console), or deploy to another environment.`,
      { input: 'environment-name', title: `Environment ${named[0].status}` }
    )
  }
  const inRegion = (await gateway.environments({})).filter(live)
  const elsewhere = inRegion.find(e => e.name === environment && e.application !== application)
  const finding: NameFinding = {
    kind: 'environment',
    wanted: environment,
    region,
    application,
    existing: inRegion.filter(e => e.application === application).map(e => e.name),
    otherApplication: elsewhere?.application,
    otherRegions: elsewhere
      ? []
      : await otherRegions(
          region,
          async g =>
            (await g.environments({ names: [environment] })).some(e => e.name === environment && live(e)),
          gatewayFor
        )
  }
  throw new UserError(describeMissingName(finding), {
    input: elsewhere ? 'application-name' : 'environment-name',
    title: 'Environment not found'
  })
}

/** A warning when the environment's platform is not Docker (a compose bundle needs the Docker platform). */
export function platformWarning(env: EnvironmentInfo): string | undefined {
  const platform = env.solutionStack ?? env.platformArn ?? ''
  if (platform === '' || /docker/i.test(platform)) return undefined
  return `Environment "${env.name}" runs "${platform}", not a Docker platform: a docker-compose.yml bundle needs "… running Docker". The deployment will likely fail; recreate the environment on the Docker platform.`
}

/** What a look-up found about a name that is not where the user said. */
export interface NameFinding {
  kind: 'application' | 'environment'
  wanted: string
  region: string
  /** The names of that kind that exist (for an environment: in the application; else in the region). */
  existing: string[]
  /** For an environment: the application it belongs to instead, when it exists under another one. */
  otherApplication?: string
  /** Other regions where the name exists as given. */
  otherRegions: string[]
  /** The application, for environment findings. */
  application?: string
}

/** The message for a name that does not exist: what exists, the closest, and where else it is. */
export function describeMissingName(finding: NameFinding): string {
  const { kind, wanted, region } = finding
  const input = kind === 'application' ? 'application-name' : 'environment-name'
  const where =
    kind === 'application' ? `in ${region}` : `in application "${finding.application}" in ${region}`
  const parts: string[] = []
  if (finding.otherApplication !== undefined) {
    parts.push(
      `Environment "${wanted}" belongs to application "${finding.otherApplication}", not "${finding.application}": set application-name to "${finding.otherApplication}" (or pick an environment of "${finding.application}").`
    )
  } else {
    parts.push(`No ${kind} named "${wanted}" exists ${where} (names are case-sensitive).`)
    const closest = closestName(wanted, finding.existing)
    if (closest !== undefined) parts.push(`Did you mean "${closest}"? Set ${input} to "${closest}".`)
  }
  if (finding.otherRegions.length > 0) {
    const regions = finding.otherRegions.join(', ')
    parts.push(
      `"${wanted}" exists in ${regions}: set region to ${finding.otherRegions[0]} (or AWS_REGION) to deploy there.`
    )
  }
  const plural = kind === 'application' ? 'Applications' : 'Environments'
  parts.push(`${plural} ${where}: ${listNames(finding.existing)}.`)
  return parts.join(' ')
}
