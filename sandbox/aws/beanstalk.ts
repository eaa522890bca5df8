/**
 * Elastic Beanstalk's state and operations (Query protocol, API version 2010-12-01), per region.
 *
 * State is computed lazily from timestamps: an update is scheduled with its events dated in the future
 * and becomes visible (status, version, health, events) when the clock passes those dates, so `readyAt`
 * is exact and nothing depends on timers firing.
 */
import { createHash } from 'node:crypto'
import type { S3Service } from './s3.js'
import {
  AwsError,
  DEFAULT_ACCOUNT,
  DEFAULT_PROCESSING_MS,
  DEFAULT_REGION,
  DEFAULT_SWAP_MS,
  DEFAULT_TERMINATE_MS,
  DEFAULT_STACK,
  type AppSpec,
  type EnvSpec,
  type EnvStatus,
  type EnvironmentView,
  type OptionSettingView,
  type Health,
  type SandboxScenario,
  type UpdateScript,
  type VersionView
} from './types.js'
import { members, type XmlNode } from './xml.js'
import { dockerBundleProblem } from './zip.js'
import { PlatformCatalog } from './platforms.js' // platform versions and branches (platforms.ts)
import { LAUNCH_OPERATIONS, Launches } from './launch.js' // new environments and templates (launch.ts)
import { swapEnvironmentCNAMEs, terminateEnvironment } from './swap.js' // blue/green: swap and terminate (swap.ts)
import { TailLogs, type TailSubject } from './logs.js' // the instances' tail logs (logs.ts)

export const BEANSTALK_OPERATIONS = [
  'DescribeApplications',
  'DescribeEnvironments',
  'DescribeApplicationVersions',
  'CreateStorageLocation',
  'CreateApplicationVersion',
  'UpdateEnvironment',
  'DescribeEvents',
  'DescribeEnvironmentHealth',
  'AbortEnvironmentUpdate',
  'DeleteApplicationVersion',
  'DescribeConfigurationSettings',
  'DescribeAccountAttributes',
  'ListPlatformVersions',
  'DescribePlatformVersion',
  'ListPlatformBranches',
  'SwapEnvironmentCNAMEs',
  'TerminateEnvironment',
  ...LAUNCH_OPERATIONS,
  'RequestEnvironmentInfo',
  'RetrieveEnvironmentInfo'
] as const

export type Params = Record<string, string>
type Severity = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'
const SEVERITIES: Severity[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']
/**
 * On the wire Beanstalk spells version statuses in capitals (PROCESSED, FAILED, …), although the SDK's enum
 * lists Processed, Failed, …: the SDK passes the string through, so callers must compare case-insensitively.
 */
type VersionStatus = 'UNPROCESSED' | 'PROCESSING' | 'PROCESSED' | 'FAILED' | 'BUILDING'

export interface Application {
  region: string
  name: string
  description?: string
  created: number
  updated: number
}

interface Version {
  region: string
  app: string
  label: string
  description?: string
  sourceBundle?: { bucket: string; key: string }
  created: number
  status: VersionStatus
  /** Processing → finalStatus at this time */
  processedAt?: number
  finalStatus?: VersionStatus
}

export interface ActiveUpdate {
  startedAt: number
  endsAt: number
  /** 'swap' and 'terminate': SwapEnvironmentCNAMEs and TerminateEnvironment (swap.ts) */
  outcome: UpdateScript['outcome'] | 'aborted' | 'swap' | 'terminate'
  /** swap: the CNAME the environment holds when this update ends */
  cname?: string
  to?: string
  yellowMs: number
  /** The option settings as they will be when this update ends (a configuration change), else undefined. */
  settings?: OptionSettingView[]
  /** A configuration change without a version: Beanstalk's configuration wording in the events. */
  configurationOnly?: boolean
  /** Another caller's update that starts the moment this one ends (UpdateScript.followedBy). */
  next?: ActiveUpdate
  /** platform: the solution stack the environment runs when this update ends (PlatformArn/SolutionStackName) */
  platform?: { stack: string; arn: string; fails: boolean }
  /** A new environment's launch (CreateEnvironment, launch.ts): Launching, not Updating, until it ends. */
  launch?: boolean
}

export interface Environment {
  region: string
  app: string
  name: string
  id: string
  cname: string
  stack: string
  created: number
  updated: number
  status: EnvStatus
  health: Health
  versionLabel?: string
  script: UpdateScript
  /** UpdateEnvironment calls accepted so far (UpdateScript.stepMs) */
  updates?: number
  update?: ActiveUpdate
  readyAt?: number
  yellowUntil?: number
  /** The applied option settings (DescribeConfigurationSettings, DeploymentStatus deployed). */
  settings: OptionSettingView[]
  /** The environment's own tags (ListTagsForResource adds Beanstalk's automatic ones). */
  tags: Record<string, string>
  /** The last update requested (what the instances' logs tell of). */
  lastUpdate?: ActiveUpdate
}

export interface BeanstalkEvent {
  date: number
  seq: number
  region: string
  severity: Severity
  message: string
  app: string
  envName?: string
  envId?: string
  versionLabel?: string
  requestId?: string
}

/** e-<10 chars>, stable for a name (real ids look like e-abcd2ef3gh). */
export function environmentId(name: string): string {
  const hash = createHash('sha256').update(name).digest()
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let id = ''
  for (let i = 0; i < 10; i++) id += alphabet[hash[i] % alphabet.length]
  return `e-${id}`
}

function instanceId(envId: string): string {
  return `i-0${createHash('sha256').update(envId).digest('hex').slice(0, 16)}`
}

/** Values of a Query-protocol list: Name.member.1, Name.member.2, … */
export function memberList(params: Params, name: string): string[] {
  const out: Array<[number, string]> = []
  const prefix = `${name}.member.`
  for (const [key, value] of Object.entries(params)) {
    if (key.startsWith(prefix)) out.push([Number(key.slice(prefix.length)), value])
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v)
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message)
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const t = Date.parse(value)
  if (Number.isNaN(t)) throw invalid(`Invalid value for parameter ${name}: ${value}`)
  return t
}

function parseMaxRecords(value: string | undefined, max: number): number {
  if (value === undefined) return max
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and ${max}`
    )
  }
  return n
}

/** MaxRecords/NextToken paging over a stable list (the token is the next offset). */
function paginate<T>(list: T[], p: Params, max: number): { page: T[]; next?: string } {
  const size = parseMaxRecords(p.MaxRecords, max)
  const start = p.NextToken ? Number(Buffer.from(p.NextToken, 'base64url').toString()) : 0
  if (!Number.isInteger(start) || start < 0) throw invalid('Invalid NextToken.')
  const page = list.slice(start, start + size)
  const next =
    start + size < list.length ? Buffer.from(String(start + size)).toString('base64url') : undefined
  return { page, next }
}

const ENVIRONMENT_NAMESPACE = 'aws:elasticbeanstalk:application:environment'
const SECRETS_NAMESPACE = 'aws:elasticbeanstalk:application:environmentsecrets'
/** "Keys can contain any alphanumeric characters and the following symbols: _ . : / + \ - @", up to 128 characters;
 * "The combined size of all environment properties cannot exceed 4,096 bytes when stored as strings with the
 * format key=value" (Elastic Beanstalk Developer Guide, Environment property limits). */
const PROPERTY_NAME = /^[A-Za-z0-9_.:/+\\\-@]{1,128}$/
const MAX_PROPERTY_BYTES = 4096

/** What a single-instance Docker environment made in the console has, besides its environment properties. */
function platformSettings(): OptionSettingView[] {
  return [
    { namespace: 'aws:autoscaling:launchconfiguration', optionName: 'InstanceType', value: 't3.micro' },
    { namespace: 'aws:ec2:instances', optionName: 'InstanceTypes', value: 't3.micro,t3.small' },
    { namespace: 'aws:elasticbeanstalk:environment', optionName: 'EnvironmentType', value: 'SingleInstance' },
    { namespace: 'aws:elasticbeanstalk:command', optionName: 'DeploymentPolicy', value: 'AllAtOnce' },
    { namespace: 'aws:elasticbeanstalk:healthreporting:system', optionName: 'SystemType', value: 'basic' }
  ]
}

const settingKey = (s: { namespace: string; optionName: string; resourceName?: string }) =>
  `${s.resourceName ?? ''}|${s.namespace}|${s.optionName}`

/** Objects of a Query-protocol list of structures: Name.member.1.Field, … */
export function memberObjects(params: Params, name: string): Array<Record<string, string>> {
  const out = new Map<number, Record<string, string>>()
  const prefix = `${name}.member.`
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue
    const [index, field] = key.slice(prefix.length).split('.')
    const n = Number(index)
    if (!out.has(n)) out.set(n, {})
    if (field) out.get(n)![field] = value
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v)
}

export class Beanstalk {
  readonly accountId: string
  private readonly apps: Application[] = []
  private readonly versions: Version[] = []
  /** Every environment, terminated ones included (launch.ts adds new ones). */
  readonly envs: Environment[] = []
  private readonly events: BeanstalkEvent[] = []
  private seq = 0
  private readonly processingMs: number
  /** How long SwapEnvironmentCNAMEs and TerminateEnvironment take (swap.ts) */
  readonly swapMs: number
  readonly swapOutcome: 'swap' | 'fail'
  readonly terminateMs: number
  private readonly maxVersions: number
  private readonly combinedUpdates: 'accepted' | 'refused'
  /** platform: the catalog of platform versions and branches (platforms.ts) */
  readonly platforms: PlatformCatalog
  /** CreateEnvironment and configuration templates (launch.ts) */
  readonly launches: Launches
  private readonly platformWithVersion: 'accepted' | 'refused'
  private readonly tailLogs: TailLogs

  constructor(
    scenario: SandboxScenario,
    private readonly s3: S3Service,
    readonly now: () => number = Date.now
  ) {
    this.accountId = scenario.accountId ?? DEFAULT_ACCOUNT
    this.processingMs = scenario.processingMs ?? DEFAULT_PROCESSING_MS
    this.swapMs = scenario.swapMs ?? DEFAULT_SWAP_MS
    this.swapOutcome = scenario.swapOutcome ?? 'swap'
    this.terminateMs = scenario.terminateMs ?? DEFAULT_TERMINATE_MS
    this.maxVersions = scenario.maxApplicationVersions ?? 1000
    this.combinedUpdates = scenario.configurationWithVersion ?? 'accepted'
    this.platformWithVersion = scenario.platformWithVersion ?? 'accepted'
    this.platforms = new PlatformCatalog(scenario.platforms)
    this.launches = new Launches(this, scenario.launchMs)
    this.tailLogs = new TailLogs(scenario.tailLogs ?? {}, s3, now)
    const t = this.now()
    for (const app of scenario.applications ?? []) this.seedApp(app, t)
  }

  private seedApp(spec: AppSpec, t: number): void {
    const region = spec.region ?? DEFAULT_REGION
    const created = t - 30 * 86_400_000
    this.apps.push({ region, name: spec.name, description: spec.description, created, updated: created })
    for (const v of spec.versions ?? []) {
      this.versions.push({
        region,
        app: spec.name,
        label: v.label,
        description: v.description,
        sourceBundle: v.sourceBundle ?? {
          bucket: this.storageBucket(region),
          key: `${spec.name}/${v.label}.zip`
        },
        created: created + this.versions.length,
        status: 'PROCESSED'
      })
    }
    for (const e of spec.environments ?? []) this.seedEnv(region, spec.name, e, t)
  }

  private seedEnv(region: string, app: string, spec: EnvSpec, t: number): void {
    const created = t - 7 * 86_400_000
    const env: Environment = {
      region,
      app,
      name: spec.name,
      id: spec.id ?? environmentId(spec.name),
      cname: spec.cname ?? `${spec.name}.${region}.elasticbeanstalk.com`,
      stack: spec.solutionStackName ?? DEFAULT_STACK,
      created,
      updated: created,
      status: spec.status ?? 'Ready',
      health: spec.health ?? (spec.status === 'Terminated' ? 'Grey' : 'Green'),
      versionLabel: spec.versionLabel,
      script: spec.update ?? { durationMs: 3000, outcome: 'healthy' },
      tags: { ...spec.tags },
      settings: [
        ...(spec.optionSettings ?? platformSettings()),
        ...Object.entries(spec.environmentVariables ?? {}).map(([optionName, value]) => ({
          namespace: ENVIRONMENT_NAMESPACE,
          optionName,
          value
        })),
        ...Object.entries(spec.environmentSecrets ?? {}).map(([optionName, value]) => ({
          namespace: SECRETS_NAMESPACE,
          optionName,
          value
        }))
      ]
    }
    for (const [i, durationMs] of (spec.history ?? []).entries()) {
      const startedAt = t - ((spec.history?.length ?? 0) - i) * 3_600_000
      const past = { region, app, envName: env.name, envId: env.id, versionLabel: env.versionLabel }
      this.addEvent({
        ...past,
        date: startedAt,
        severity: 'INFO',
        message: 'Environment update is starting.'
      })
      this.addEvent({
        ...past,
        date: startedAt + durationMs,
        severity: 'INFO',
        message: 'Environment update completed successfully.'
      })
    }
    if (spec.busyForMs !== undefined || env.status === 'Updating') {
      // another update already running: it finishes healthy (same version) after busyForMs, or never
      const endsAt = spec.busyForMs !== undefined ? t + spec.busyForMs : Infinity
      env.status = 'Ready'
      env.update = { startedAt: t - 1000, endsAt, outcome: 'healthy', to: env.versionLabel, yellowMs: 0 }
      this.schedule(env, env.update, undefined)
    }
    this.envs.push(env)
  }

  storageBucket(region = DEFAULT_REGION): string {
    return `elasticbeanstalk-${region}-${this.accountId}`
  }

  /** Every bucket the seeded versions and regions need, created up front. */
  async prepareStorage(): Promise<void> {
    const buckets = new Set(this.apps.map(a => this.storageBucket(a.region)))
    buckets.add(this.storageBucket(DEFAULT_REGION))
    for (const v of this.versions) if (v.sourceBundle) buckets.add(v.sourceBundle.bucket)
    for (const b of buckets) await this.s3.ensureBucket(b)
  }

  // ---- lazy state -------------------------------------------------------------------------------------

  settle(env: Environment): void {
    const u = env.update
    const now = this.now()
    if (!u || now < u.endsAt) return
    env.update = u.next
    env.status = 'Ready'
    env.readyAt = u.endsAt
    env.updated = u.endsAt
    // A configuration change stays when the instances' deployment fails (Beanstalk reverts the configuration only
    // when the update is aborted or rolled back: "The environment was reverted to the previous configuration
    // setting.").
    if (u.settings && u.outcome !== 'aborted') env.settings = u.settings
    // platform: the new platform stays when the application fails on it (its instances run it); Red then
    if (u.platform && u.outcome !== 'aborted') env.stack = u.platform.stack
    if (u.cname !== undefined) env.cname = u.cname
    if (u.platform?.fails && u.outcome !== 'aborted') {
      env.health = 'Red'
      return
    }
    switch (u.outcome) {
      case 'healthy':
        env.versionLabel = u.to
        env.health = 'Green'
        break
      case 'red':
        env.versionLabel = u.to
        env.health = 'Red'
        break
      case 'yellow-then-green':
        env.versionLabel = u.to
        env.health = 'Green'
        env.yellowUntil = u.endsAt + u.yellowMs
        break
      case 'terminate':
        env.status = 'Terminated'
        env.health = 'Grey'
        break
      case 'fail':
      case 'aborted':
      case 'never':
      case 'swap':
        break
    }
    if (u.next) this.settle(env)
  }

  /** The status now (also read by launch.ts and swap.ts). */
  status(env: Environment): EnvStatus {
    this.settle(env)
    if (!env.update) return env.status
    if (env.update.outcome === 'terminate') return 'Terminating'
    return env.update.launch ? 'Launching' : 'Updating'
  }

  private health(env: Environment): Health {
    this.settle(env)
    if (env.update) return 'Grey' // basic health: "Grey: your environment is being updated"
    if (env.yellowUntil !== undefined && this.now() < env.yellowUntil) return 'Yellow'
    return env.health
  }

  private versionStatus(v: Version): VersionStatus {
    if (v.status === 'PROCESSING' && v.processedAt !== undefined && this.now() >= v.processedAt) {
      v.status = v.finalStatus ?? 'PROCESSED'
    }
    return v.status
  }

  addEvent(e: Omit<BeanstalkEvent, 'seq'>): void {
    this.events.push({ ...e, seq: ++this.seq })
  }

  /** The application, when it exists in the region. */
  application(name: string, region: string): Application | undefined {
    return this.apps.find(a => a.region === region && a.name === name)
  }

  /** The version, when it exists (its status brought up to date). */
  findVersion(app: string, label: string, region: string): { status: string } | undefined {
    const v = this.versions.find(x => x.region === region && x.app === app && x.label === label)
    return v && { status: this.versionStatus(v) }
  }

  /** Dates the update's events (Docker platform wording) from its start to its end. */
  private schedule(env: Environment, u: ActiveUpdate, requestId: string | undefined): void {
    const d = u.endsAt === Infinity ? env.script.durationMs : u.endsAt - u.startedAt
    const at = (fraction: number) => u.startedAt + Math.round(d * fraction)
    const ev = (date: number, severity: Severity, message: string) =>
      this.addEvent({
        date,
        region: env.region,
        severity,
        message,
        app: env.app,
        envName: env.name,
        envId: env.id,
        versionLabel: u.to,
        requestId
      })
    ev(u.startedAt, 'INFO', 'Environment update is starting.')
    if (u.settings || u.platform)
      ev(at(0.05), 'INFO', `Updating environment ${env.name}'s configuration settings.`)
    if (u.platform && u.outcome !== 'aborted')
      ev(at(0.07), 'INFO', `Updating the platform of ${env.name} to ${u.platform.arn}.`)
    if (u.platform?.fails && u.endsAt !== Infinity && u.outcome !== 'aborted') {
      // platform: the application does not start on the new platform version
      ev(at(0.8), 'ERROR', "Instance deployment failed. For details, see 'eb-engine.log'.")
      ev(
        at(0.85),
        'ERROR',
        `[Instance: ${instanceId(env.id)}] Command failed on instance. Return code: 1 Output: Engine execution has encountered an error..`
      )
      ev(
        u.endsAt,
        'ERROR',
        'Update environment operation is complete, but with errors. For more information, see troubleshooting documentation.'
      )
      ev(u.endsAt, 'WARN', 'Environment health has been set to RED')
      return
    }
    if (u.configurationOnly) {
      if (u.endsAt === Infinity || u.outcome === 'aborted') return
      ev(at(0.9), 'INFO', 'Successfully deployed new configuration to environment.')
      ev(u.endsAt, 'INFO', 'Environment update completed successfully.')
      if (u.outcome === 'red') ev(u.endsAt, 'WARN', 'Environment health has been set to RED')
      return
    }
    ev(at(0.1), 'INFO', 'Deploying new version to instance(s).')
    if (u.endsAt === Infinity) return
    const end = u.endsAt
    switch (u.outcome) {
      case 'fail':
        ev(at(0.8), 'ERROR', "Instance deployment failed. For details, see 'eb-engine.log'.")
        ev(
          at(0.85),
          'ERROR',
          `[Instance: ${instanceId(env.id)}] Command failed on instance. Return code: 1 Output: Engine execution has encountered an error..`
        )
        ev(
          at(0.9),
          'INFO',
          'Command execution completed on all instances. Summary: [Successful: 0, Failed: 1].'
        )
        ev(end, 'ERROR', 'Failed to deploy application.')
        return
      case 'aborted':
        return
      default:
        ev(at(0.8), 'INFO', 'Instance deployment completed successfully.')
        ev(at(0.9), 'INFO', 'New application version was deployed to running EC2 instances.')
        ev(end, 'INFO', 'Environment update completed successfully.')
    }
    if (u.outcome === 'red') ev(end, 'WARN', 'Environment health has been set to RED')
    if (u.outcome === 'yellow-then-green') {
      ev(end, 'WARN', 'Environment health has been set to YELLOW')
      ev(end + u.yellowMs, 'INFO', 'Environment health has been set to GREEN')
    }
  }

  // ---- views for tests --------------------------------------------------------------------------------

  environment(name: string, region = DEFAULT_REGION): EnvironmentView | undefined {
    // the newest of that name: a re-created environment, not the one terminated before it
    const env = this.envs.filter(e => e.name === name && e.region === region).pop()
    if (!env) return undefined
    const status = this.status(env)
    return {
      id: env.id,
      cname: env.cname,
      status,
      health: this.health(env),
      versionLabel: env.versionLabel,
      readyAt: env.readyAt
    }
  }

  version(app: string, label: string, region = DEFAULT_REGION): VersionView | undefined {
    const v = this.versions.find(x => x.region === region && x.app === app && x.label === label)
    return v && { status: this.versionStatus(v), sourceBundle: v.sourceBundle }
  }

  // ---- operations -------------------------------------------------------------------------------------

  async handle(
    operation: string,
    p: Params,
    region: string,
    requestId: string
  ): Promise<XmlNode | undefined> {
    switch (operation) {
      case 'DescribeApplications':
        return this.describeApplications(p, region)
      case 'DescribeEnvironments':
        return this.describeEnvironments(p, region)
      case 'DescribeApplicationVersions':
        return this.describeApplicationVersions(p, region)
      case 'CreateStorageLocation':
        await this.s3.ensureBucket(this.storageBucket(region))
        return { S3Bucket: this.storageBucket(region) }
      case 'CreateApplicationVersion':
        return await this.createApplicationVersion(p, region)
      case 'UpdateEnvironment':
        return this.updateEnvironment(p, region, requestId)
      case 'DescribeEvents':
        return this.describeEvents(p, region)
      case 'DescribeEnvironmentHealth':
        return this.describeEnvironmentHealth(p, region)
      case 'SwapEnvironmentCNAMEs':
        swapEnvironmentCNAMEs(this, p, region, requestId)
        return undefined
      case 'TerminateEnvironment':
        return terminateEnvironment(this, p, region, requestId)
      case 'AbortEnvironmentUpdate':
        this.abortEnvironmentUpdate(p, region, requestId)
        return undefined
      case 'DeleteApplicationVersion':
        await this.deleteApplicationVersion(p, region)
        return undefined
      case 'DescribeConfigurationSettings':
        return this.describeConfigurationSettings(p, region)
      case 'DescribeAccountAttributes':
        return this.describeAccountAttributes()
      case 'ListPlatformVersions':
        return this.platforms.listPlatformVersions(p, region)
      case 'DescribePlatformVersion':
        return this.platforms.describePlatformVersion(p, region)
      case 'ListPlatformBranches':
        return this.platforms.listPlatformBranches(p)
      case 'RequestEnvironmentInfo':
        this.tailLogs.request(this.tailSubject(this.findEnv(p, region)))
        return undefined
      case 'RetrieveEnvironmentInfo':
        return await this.tailLogs.retrieve(this.tailSubject(this.findEnv(p, region)))
      default:
        if ((LAUNCH_OPERATIONS as readonly string[]).includes(operation))
          return this.launches.handle(operation, p, region, requestId)
        throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`)
    }
  }

  private appXml(a: Application): XmlNode {
    const labels = this.versions
      .filter(v => v.region === a.region && v.app === a.name)
      .sort((x, y) => y.created - x.created)
      .map(v => v.label)
    return {
      ApplicationArn: `arn:aws:elasticbeanstalk:${a.region}:${this.accountId}:application/${a.name}`,
      ApplicationName: a.name,
      Description: a.description,
      DateCreated: new Date(a.created),
      DateUpdated: new Date(a.updated),
      Versions: members(labels),
      ConfigurationTemplates: members(this.launches.templates.names(a.name, a.region))
    }
  }

  private describeApplications(p: Params, region: string): XmlNode {
    const names = memberList(p, 'ApplicationNames')
    const apps = this.apps.filter(a => a.region === region && (names.length === 0 || names.includes(a.name)))
    return { Applications: members(apps.map(a => this.appXml(a))) }
  }

  envXml(env: Environment): XmlNode {
    const status = this.status(env)
    const health = this.health(env)
    return {
      EnvironmentName: env.name,
      EnvironmentId: env.id,
      ApplicationName: env.app,
      VersionLabel: env.versionLabel,
      SolutionStackName: env.stack,
      PlatformArn: this.platforms.arnForStack(env.region, env.stack),
      EndpointURL: status === 'Terminated' ? undefined : `192.0.2.${(env.id.charCodeAt(2) % 200) + 10}`,
      CNAME: env.cname,
      DateCreated: new Date(env.created),
      DateUpdated: new Date(env.updated),
      Status: status,
      AbortableOperationInProgress: status === 'Updating',
      Health: health,
      Tier: { Name: 'WebServer', Type: 'Standard', Version: '1.0' },
      EnvironmentLinks: members([]),
      EnvironmentArn: `arn:aws:elasticbeanstalk:${env.region}:${this.accountId}:environment/${env.app}/${env.name}`
    }
  }

  private describeEnvironments(p: Params, region: string): XmlNode {
    const names = memberList(p, 'EnvironmentNames')
    const ids = memberList(p, 'EnvironmentIds')
    const includeDeleted = p.IncludeDeleted === 'true'
    // each environment is brought up to date first: the VersionLabel filter (the AWS CLI's
    // `wait environment-updated --version-label`) must see the version an ended update deployed
    for (const e of this.envs) this.settle(e)
    const envs = this.envs.filter(
      e =>
        e.region === region &&
        (p.ApplicationName === undefined || e.app === p.ApplicationName) &&
        (p.VersionLabel === undefined || e.versionLabel === p.VersionLabel) &&
        (names.length === 0 || names.includes(e.name)) &&
        (ids.length === 0 || ids.includes(e.id)) &&
        (includeDeleted || this.status(e) !== 'Terminated')
    )
    const { page, next } = paginate(envs, p, 1000)
    return { Environments: members(page.map(e => this.envXml(e))), NextToken: next }
  }

  private versionXml(v: Version): XmlNode {
    return {
      ApplicationVersionArn: `arn:aws:elasticbeanstalk:${v.region}:${this.accountId}:applicationversion/${v.app}/${v.label}`,
      ApplicationName: v.app,
      Description: v.description,
      VersionLabel: v.label,
      SourceBundle: v.sourceBundle && { S3Bucket: v.sourceBundle.bucket, S3Key: v.sourceBundle.key },
      DateCreated: new Date(v.created),
      DateUpdated: new Date(v.created),
      Status: this.versionStatus(v)
    }
  }

  private describeApplicationVersions(p: Params, region: string): XmlNode {
    const labels = memberList(p, 'VersionLabels')
    const list = this.versions
      .filter(
        v =>
          v.region === region &&
          (p.ApplicationName === undefined || v.app === p.ApplicationName) &&
          (labels.length === 0 || labels.includes(v.label))
      )
      .sort((a, b) => b.created - a.created)
    const max = parseMaxRecords(p.MaxRecords, 1000)
    const start = p.NextToken ? Number(Buffer.from(p.NextToken, 'base64url').toString()) : 0
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid NextToken.')
    const page = list.slice(start, start + max)
    const next =
      start + max < list.length ? Buffer.from(String(start + max)).toString('base64url') : undefined
    return { ApplicationVersions: members(page.map(v => this.versionXml(v))), NextToken: next }
  }

  private async createApplicationVersion(p: Params, region: string): Promise<XmlNode> {
    const appName = p.ApplicationName
    const label = p.VersionLabel
    if (!appName)
      throw new AwsError('MissingParameter', 'The request must contain the parameter ApplicationName.')
    if (!label) throw new AwsError('MissingParameter', 'The request must contain the parameter VersionLabel.')
    let app = this.apps.find(a => a.region === region && a.name === appName)
    if (!app && p.AutoCreateApplication !== 'true') throw invalid(`No Application named '${appName}' found.`)
    if (this.versions.some(v => v.region === region && v.app === appName && v.label === label)) {
      throw invalid(`Application Version ${label} already exists.`)
    }
    if (this.versions.filter(v => v.region === region).length >= this.maxVersions) {
      throw new AwsError(
        'TooManyApplicationVersionsException',
        `You cannot have more than ${this.maxVersions} Application Versions. Either remove some Application Versions or request a limit increase.`
      )
    }
    const bucket = p['SourceBundle.S3Bucket']
    const key = p['SourceBundle.S3Key']
    let bundle: Buffer | undefined
    if (bucket !== undefined || key !== undefined) {
      bundle = bucket && key ? await this.s3.readObject(bucket, key) : undefined
      if (!bundle) {
        throw new AwsError(
          'InvalidParameterCombination',
          `Unable to download from S3 location (Bucket: ${bucket ?? ''}  Key: ${key ?? ''}). Reason: Not Found`
        )
      }
    }
    const now = this.now()
    if (!app) {
      app = { region, name: appName, created: now, updated: now }
      this.apps.push(app)
    }
    const version: Version = {
      region,
      app: appName,
      label,
      description: p.Description,
      sourceBundle: bucket && key ? { bucket, key } : undefined,
      created: now,
      status: 'UNPROCESSED'
    }
    if (p.Process === 'true') {
      version.status = 'PROCESSING'
      version.processedAt = now + this.processingMs
      version.finalStatus = bundle && !(await dockerBundleProblem(bundle)) ? 'PROCESSED' : 'FAILED'
    }
    this.versions.push(version)
    app.updated = now
    return { ApplicationVersion: this.versionXml(version) }
  }

  findEnv(p: Params, region: string): Environment {
    if (p.EnvironmentId) {
      const env = this.envs.find(
        e => e.region === region && e.id === p.EnvironmentId && this.status(e) !== 'Terminated'
      )
      if (!env) throw invalid(`No Environment found for EnvironmentId = '${p.EnvironmentId}'.`)
      return env
    }
    if (p.EnvironmentName) {
      const env = this.envs.find(
        e => e.region === region && e.name === p.EnvironmentName && this.status(e) !== 'Terminated'
      )
      if (!env) throw invalid(`No Environment found for EnvironmentName = '${p.EnvironmentName}'.`)
      return env
    }
    throw new AwsError('MissingParameter', 'You must specify either EnvironmentId or EnvironmentName.')
  }

  private updateEnvironment(p: Params, region: string, requestId: string): XmlNode {
    const env = this.findEnv(p, region)
    if (p.ApplicationName !== undefined && p.ApplicationName !== env.app) {
      throw invalid(`No Environment found for EnvironmentName = '${env.name}'.`)
    }
    const label = p.VersionLabel
    if (label !== undefined) {
      const v = this.versions.find(x => x.region === region && x.app === env.app && x.label === label)
      if (!v) throw invalid(`No Application Version named '${label}' found.`)
      const status = this.versionStatus(v)
      if (status === 'FAILED') {
        throw invalid(`Application version '${label}' has failed processing and cannot be deployed.`)
      }
    }
    const settings = this.changedSettings(env, p, label)
    const platform = this.platforms.requested(p, region) // platform: PlatformArn or SolutionStackName
    if (platform && label !== undefined && this.platformWithVersion === 'refused') {
      throw new AwsError(
        'InvalidParameterCombination',
        'Cannot update the application version and the platform of an environment in the same request.'
      )
    }
    if (this.status(env) !== 'Ready') {
      throw invalid(`Environment named ${env.name} is in an invalid state for this operation. Must be Ready.`)
    }
    const now = this.now()
    const to = label ?? env.versionLabel
    const script: UpdateScript = env.script.healthyVersions?.includes(to ?? '')
      ? { ...env.script, outcome: 'healthy' }
      : env.script
    const step = (script.stepMs ?? 0) * (env.updates ?? 0)
    env.updates = (env.updates ?? 0) + 1
    const endsAt = script.outcome === 'never' ? Infinity : now + script.durationMs + step
    const configurationOnly = (settings !== undefined || platform !== undefined) && label === undefined
    const platformFails =
      platform !== undefined &&
      platform.solutionStackName !== env.stack &&
      (script.failingPlatforms ?? []).some(f => f === platform.version || f === platform.arn)
    env.yellowUntil = undefined
    env.update = {
      startedAt: now,
      endsAt,
      // 'fail' is a version whose deployment fails: a configuration-only update restarts what runs, and succeeds
      outcome: configurationOnly && script.outcome === 'fail' ? 'healthy' : script.outcome,
      to,
      yellowMs: script.yellowMs ?? 3000,
      settings,
      configurationOnly,
      platform: platform && { stack: platform.solutionStackName, arn: platform.arn, fails: platformFails }
    }
    env.updated = now
    env.lastUpdate = env.update
    this.schedule(env, env.update, requestId)
    const other = script.followedBy
    if (other && other.label !== to && endsAt !== Infinity) {
      const startedAt = endsAt
      const next: ActiveUpdate = {
        startedAt,
        endsAt: startedAt + (other.durationMs ?? script.durationMs),
        outcome: 'healthy',
        to: other.label,
        yellowMs: 0
      }
      env.update.next = next
      this.schedule(env, next, `${requestId}-other`)
    }
    return this.envXml(env)
  }

  /**
   * UpdateEnvironment's OptionSettings and OptionsToRemove: the settings as they will be, or undefined when the
   * request has none. With a VersionLabel too, the `configurationWithVersion: 'refused'` scenario answers as the
   * API reference says: "Attempting to update both the release and configuration is not allowed and AWS Elastic
   * Beanstalk returns an InvalidParameterCombination error."
   */
  private changedSettings(
    env: Environment,
    p: Params,
    label: string | undefined
  ): OptionSettingView[] | undefined {
    const set = memberObjects(p, 'OptionSettings')
    const remove = memberObjects(p, 'OptionsToRemove')
    if (set.length === 0 && remove.length === 0) return undefined
    if (label !== undefined && this.combinedUpdates === 'refused') {
      throw new AwsError(
        'InvalidParameterCombination',
        'Cannot update the application version and the configuration of an environment in the same request.'
      )
    }
    const next = new Map(env.settings.map(s => [settingKey(s), s]))
    for (const r of remove) {
      if (!r.Namespace || !r.OptionName)
        throw invalid('Each option to remove needs a Namespace and an OptionName.')
      next.delete(
        settingKey({ namespace: r.Namespace, optionName: r.OptionName, resourceName: r.ResourceName })
      )
    }
    for (const o of set) {
      if (!o.Namespace || !o.OptionName)
        throw invalid('Each option setting needs a Namespace and an OptionName.')
      const setting: OptionSettingView = {
        namespace: o.Namespace,
        optionName: o.OptionName,
        value: o.Value ?? '',
        resourceName: o.ResourceName
      }
      if (
        (setting.namespace === ENVIRONMENT_NAMESPACE || setting.namespace === SECRETS_NAMESPACE) &&
        !PROPERTY_NAME.test(setting.optionName)
      ) {
        throw invalid(
          `Invalid option specification (Namespace: '${setting.namespace}', OptionName: '${setting.optionName}'): the name contains characters that are not allowed.`
        )
      }
      next.set(settingKey(setting), setting)
    }
    const settings = [...next.values()]
    const bytes = settings
      .filter(s => s.namespace === ENVIRONMENT_NAMESPACE)
      .reduce((sum, s) => sum + Buffer.byteLength(`${s.optionName}=${s.value}`), 0)
    if (bytes > MAX_PROPERTY_BYTES) {
      // Modelled on the documented limit; the wording of AWS's own message is not documented.
      throw invalid(
        `Environment properties cannot exceed ${MAX_PROPERTY_BYTES} bytes in total (key=value); the request makes ${bytes}.`
      )
    }
    return settings
  }

  private describeConfigurationSettings(p: Params, region: string): XmlNode {
    if (!p.ApplicationName) {
      throw new AwsError('MissingParameter', 'The request must contain the parameter ApplicationName.')
    }
    if (p.TemplateName !== undefined) return this.launches.templates.describe(p, region)
    if (!p.EnvironmentName) {
      throw new AwsError('MissingParameter', 'You must specify either EnvironmentName or TemplateName.')
    }
    const env = this.envs.find(
      e =>
        e.region === region &&
        e.app === p.ApplicationName &&
        e.name === p.EnvironmentName &&
        this.status(e) !== 'Terminated'
    )
    if (!env) throw invalid(`No Environment found for EnvironmentName = '${p.EnvironmentName}'.`)
    const description = (settings: OptionSettingView[], status: 'deployed' | 'pending') => ({
      SolutionStackName: env.stack,
      ApplicationName: env.app,
      EnvironmentName: env.name,
      DeploymentStatus: status,
      DateCreated: new Date(env.created),
      DateUpdated: new Date(env.updated),
      OptionSettings: members(
        settings.map(s => ({
          ResourceName: s.resourceName,
          Namespace: s.namespace,
          OptionName: s.optionName,
          Value: s.value
        }))
      )
    })
    const list = [description(env.settings, 'deployed')]
    // "a draft configuration is created and DescribeConfigurationSettings for this environment returns two setting
    // descriptions with different DeploymentStatus values" (UpdateEnvironment, API Reference)
    if (env.update?.settings) list.push(description(env.update.settings, 'pending'))
    return { ConfigurationSettings: members(list) }
  }

  /** The applied settings of an environment (a copy), for tests. */
  settingsOf(name: string, region = DEFAULT_REGION): OptionSettingView[] | undefined {
    const env = this.envs.find(e => e.name === name && e.region === region)
    if (!env) return undefined
    this.settle(env)
    return env.settings.map(s => ({ ...s }))
  }

  private describeEvents(p: Params, region: string): XmlNode {
    const now = this.now()
    const start = parseTime(p.StartTime, 'StartTime')
    const end = parseTime(p.EndTime, 'EndTime')
    const minSeverity = p.Severity ? SEVERITIES.indexOf(p.Severity as Severity) : 0
    if (minSeverity < 0) throw invalid(`Invalid value for parameter Severity: ${p.Severity}`)
    const max = parseMaxRecords(p.MaxRecords, 1000)
    let after: { date: number; seq: number } | undefined
    if (p.NextToken) {
      const [date, seq] = Buffer.from(p.NextToken, 'base64url').toString().split('.').map(Number)
      if (!Number.isFinite(date) || !Number.isFinite(seq)) throw invalid('Invalid NextToken.')
      after = { date, seq }
    }
    const list = this.events
      .filter(
        e =>
          e.region === region &&
          e.date <= now &&
          (start === undefined || e.date >= start) &&
          (end === undefined || e.date < end) &&
          (p.ApplicationName === undefined || e.app === p.ApplicationName) &&
          (p.EnvironmentName === undefined || e.envName === p.EnvironmentName) &&
          (p.EnvironmentId === undefined || e.envId === p.EnvironmentId) &&
          (p.VersionLabel === undefined || e.versionLabel === p.VersionLabel) &&
          (p.RequestId === undefined || e.requestId === p.RequestId) &&
          SEVERITIES.indexOf(e.severity) >= minSeverity
      )
      .sort((a, b) => b.date - a.date || b.seq - a.seq)
      .filter(e => !after || e.date < after.date || (e.date === after.date && e.seq < after.seq))
    const page = list.slice(0, max)
    const last = page[page.length - 1]
    const next =
      list.length > max && last ? Buffer.from(`${last.date}.${last.seq}`).toString('base64url') : undefined
    return {
      Events: members(
        page.map(e => ({
          EventDate: new Date(e.date),
          Message: e.message,
          ApplicationName: e.app,
          VersionLabel: e.versionLabel,
          EnvironmentName: e.envName,
          RequestId: e.requestId,
          Severity: e.severity
        }))
      ),
      NextToken: next
    }
  }

  private describeEnvironmentHealth(p: Params, region: string): XmlNode {
    const env = this.findEnv(p, region)
    const status = this.status(env)
    const color = this.health(env)
    const healthStatus = {
      Green: 'Ok',
      Yellow: 'Warning',
      Red: 'Degraded',
      Grey: status === 'Updating' ? 'Info' : 'Unknown'
    }[color]
    return {
      EnvironmentName: env.name,
      HealthStatus: healthStatus,
      Status: status,
      Color: color,
      Causes: members([]),
      RefreshedAt: new Date(this.now())
    }
  }

  /** The environment as its instances' logs tell it (logs.ts). */
  private tailSubject(env: Environment): TailSubject {
    const last = env.lastUpdate
    const failed =
      this.health(env) === 'Red' ||
      (last !== undefined &&
        (last.outcome === 'fail' || last.outcome === 'never' || last.platform?.fails === true))
    return {
      id: env.id,
      name: env.name,
      app: env.app,
      region: env.region,
      bucket: this.storageBucket(env.region),
      versionLabel: env.versionLabel,
      failed,
      lastTarget: last?.to,
      properties: Object.fromEntries(
        env.settings
          .filter(s => s.namespace === ENVIRONMENT_NAMESPACE)
          .map(s => [s.optionName, s.value ?? ''])
      )
    }
  }

  private abortEnvironmentUpdate(p: Params, region: string, requestId: string): void {
    const env = this.findEnv(p, region)
    if (this.status(env) !== 'Updating' || !env.update || env.update.outcome === 'swap') {
      throw invalid(`Environment named ${env.name} is not in an abortable state.`)
    }
    const now = this.now()
    const from = env.versionLabel
    // drop the update's events that have not happened yet; the old version stays
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]
      if (e.envId === env.id && e.region === env.region && e.date > now) this.events.splice(i, 1)
    }
    const endsAt = now + Math.min(1000, Math.max(100, env.script.durationMs / 4))
    env.update = { startedAt: now, endsAt, outcome: 'aborted', to: from, yellowMs: 0 }
    const base = { region: env.region, app: env.app, envName: env.name, envId: env.id, requestId }
    this.addEvent({
      ...base,
      date: now,
      severity: 'INFO',
      message: 'Abort environment update is in progress.'
    })
    this.addEvent({
      ...base,
      date: endsAt,
      severity: 'INFO',
      message: 'The environment was reverted to the previous configuration setting.'
    })
  }

  /**
   * The quotas of the account (per region): ApplicationVersionQuota is `maxApplicationVersions`; the others are
   * AWS's documented defaults.
   */
  private describeAccountAttributes(): XmlNode {
    return {
      ResourceQuotas: {
        ApplicationQuota: { Maximum: 75 },
        ApplicationVersionQuota: { Maximum: this.maxVersions },
        EnvironmentQuota: { Maximum: 200 },
        ConfigurationTemplateQuota: { Maximum: 2000 },
        CustomPlatformQuota: { Maximum: 50 }
      }
    }
  }

  /**
   * Refuses a version that an environment runs or is deploying (as Beanstalk does). DeleteSourceBundle=true also
   * deletes its S3 object (a missing object is no error, as in S3); when that fails the version is still gone
   * and the answer is SourceBundleDeletionFailure, as AWS documents.
   */
  private async deleteApplicationVersion(p: Params, region: string): Promise<void> {
    if (!p.ApplicationName)
      throw new AwsError('MissingParameter', 'The request must contain the parameter ApplicationName.')
    if (!p.VersionLabel)
      throw new AwsError('MissingParameter', 'The request must contain the parameter VersionLabel.')
    const app = this.apps.find(a => a.region === region && a.name === p.ApplicationName)
    if (!app) throw invalid(`No Application named '${p.ApplicationName ?? ''}' found.`)
    const index = this.versions.findIndex(
      v => v.region === region && v.app === p.ApplicationName && v.label === p.VersionLabel
    )
    if (index < 0) throw invalid(`No Application Version named '${p.VersionLabel ?? ''}' found.`)
    const deployedTo = this.envs.filter(
      e =>
        e.region === region &&
        e.app === app.name &&
        this.status(e) !== 'Terminated' &&
        (e.versionLabel === p.VersionLabel || e.update?.to === p.VersionLabel)
    )
    if (deployedTo.length) {
      throw invalid(
        `Unable to delete application version ${p.VersionLabel} because it is being used by environment(s): ${deployedTo.map(e => e.name).join(', ')}.`
      )
    }
    const [deleted] = this.versions.splice(index, 1)
    if (p.DeleteSourceBundle === 'true' && deleted.sourceBundle) {
      const { bucket, key } = deleted.sourceBundle
      if (!(await this.s3.deleteObject(bucket, key))) {
        throw new AwsError(
          'SourceBundleDeletionFailure',
          `Unable to delete the Amazon S3 source bundle associated with the application version (Bucket: ${bucket}  Key: ${key}). The application version was deleted successfully.`
        )
      }
    }
  }
}
