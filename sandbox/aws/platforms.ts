/**
 * Elastic Beanstalk's platforms, as the API reference describes them: platform versions (ListPlatformVersions,
 * DescribePlatformVersion) and platform branches (ListPlatformBranches), with their lifecycle states, per region.
 * The Beanstalk class (beanstalk.ts) asks this catalog when an UpdateEnvironment names a PlatformArn or a
 * SolutionStackName, and for an environment's platform.
 *
 * What the API reference says and the catalog follows:
 * - ListPlatformVersions: `Filters` (PlatformFilter: Type, Operator, Values; "Only one value is supported for all
 *   current operators"; Types PlatformName | PlatformVersion | PlatformStatus | PlatformBranchName |
 *   PlatformLifecycleState | PlatformOwner | SupportedTier | SupportedAddon | ProgrammingLanguageName |
 *   OperatingSystemName; operators = != < <= > >= contains begins_with ends_with), MaxRecords, NextToken; answers
 *   PlatformSummaryList. No order is documented: the catalog answers in ARN order (so 4.10.0 comes before 4.9.0),
 *   and a caller that wants the newest must compare versions itself.
 * - PlatformSummary.PlatformLifecycleState is "Recommended" for the one recommended version of a branch (the newest
 *   Ready one) and absent otherwise; PlatformBranchLifecycleState is the branch's (Supported | Deprecated | Beta |
 *   Retired: the EB CLI's constants, capitalised as on the wire; the reference lists them in lower case).
 * - ListPlatformBranches: `Filters` (SearchFilter: Attribute BranchName | LifecycleState | PlatformName | TierType;
 *   operators = != begins_with ends_with contains in not_in, "in"/"not_in" take several values), answers
 *   PlatformBranchSummaryList (PlatformName, BranchName, LifecycleState, BranchOrder, SupportedTierList). A branch's
 *   retirement date is not in the API: AWS publishes it in the "platform schedule" pages, not here.
 * - A platform ARN: arn:aws:elasticbeanstalk:<region>::platform/<platform name>/<version>.
 */
import { AwsError } from './types.js'
import { members, type XmlNode } from './xml.js'

export type PlatformStatus = 'Creating' | 'Failed' | 'Ready' | 'Deleting' | 'Deleted'
export type BranchLifecycle = 'Beta' | 'Supported' | 'Deprecated' | 'Retired'

export interface PlatformBranchSpec {
  /** The platform (family) the branch belongs to, e.g. Docker */
  platform: string
  /** e.g. Docker running on 64bit Amazon Linux 2023 */
  branch: string
  lifecycle: BranchLifecycle
  /** larger = newer within the platform */
  order: number
}

export interface PlatformVersionSpec {
  branch: string
  /** semantic version, e.g. 4.4.0 */
  version: string
  /** default Ready */
  status?: PlatformStatus
  /** regions where the version exists (default: every region) */
  regions?: string[]
  /** e.g. 64bit Amazon Linux 2023 v4.4.0 running Docker */
  solutionStackName: string
  operatingSystem: { name: string; version: string }
  language?: { name: string; version: string }
}

export interface PlatformCatalogSpec {
  branches: PlatformBranchSpec[]
  versions: PlatformVersionSpec[]
}

const AL2023 = { name: 'Amazon Linux 2023', version: '2023' }
const AL2 = { name: 'Amazon Linux 2', version: '2' }
const DOCKER_2023 = 'Docker running on 64bit Amazon Linux 2023'
const DOCKER_AL2 = 'Docker running on 64bit Amazon Linux 2'
const NODE_20 = 'Node.js 20 running on 64bit Amazon Linux 2023'

const docker2023 = (version: string, more: Partial<PlatformVersionSpec> = {}): PlatformVersionSpec => ({
  branch: DOCKER_2023,
  version,
  solutionStackName: `64bit Amazon Linux 2023 v${version} running Docker`,
  operatingSystem: AL2023,
  ...more
})

/**
 * The default catalog: Docker on Amazon Linux 2023 (supported, several versions: 4.10.0 is the newest Ready one,
 * 4.11.0 is still being created, 4.10.1 exists in us-east-1 only), Docker on Amazon Linux 2 (deprecated), ECS on
 * Amazon Linux 2023 and Node.js 20 (other kinds of platform).
 */
export const DEFAULT_PLATFORMS: PlatformCatalogSpec = {
  branches: [
    { platform: 'Docker', branch: DOCKER_2023, lifecycle: 'Supported', order: 2 },
    { platform: 'Docker', branch: DOCKER_AL2, lifecycle: 'Deprecated', order: 1 },
    { platform: 'ECS', branch: 'ECS running on 64bit Amazon Linux 2023', lifecycle: 'Supported', order: 1 },
    { platform: 'Node.js', branch: NODE_20, lifecycle: 'Supported', order: 3 }
  ],
  versions: [
    docker2023('4.3.2'),
    docker2023('4.4.0'),
    docker2023('4.4.1'),
    docker2023('4.9.0'),
    docker2023('4.10.0'),
    docker2023('4.10.1', { regions: ['us-east-1'] }),
    docker2023('4.11.0', { status: 'Creating' }),
    {
      branch: DOCKER_AL2,
      version: '3.9.0',
      solutionStackName: '64bit Amazon Linux 2 v3.9.0 running Docker',
      operatingSystem: AL2
    },
    {
      branch: DOCKER_AL2,
      version: '3.9.2',
      solutionStackName: '64bit Amazon Linux 2 v3.9.2 running Docker',
      operatingSystem: AL2
    },
    {
      branch: 'ECS running on 64bit Amazon Linux 2023',
      version: '4.1.0',
      solutionStackName: '64bit Amazon Linux 2023 v4.1.0 running ECS',
      operatingSystem: AL2023
    },
    {
      branch: NODE_20,
      version: '6.3.0',
      solutionStackName: '64bit Amazon Linux 2023 v6.3.0 running Node.js 20',
      operatingSystem: AL2023,
      language: { name: 'Node.js', version: '20' }
    }
  ]
}

/** 4.10.0 > 4.9.0 (numeric parts). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export function platformArn(region: string, branch: string, version: string): string {
  return `arn:aws:elasticbeanstalk:${region}::platform/${branch}/${version}`
}

/** One platform version as it exists in one region. */
export interface PlatformVersion extends PlatformVersionSpec {
  arn: string
  region: string
  status: PlatformStatus
  branchSpec?: PlatformBranchSpec
  recommended: boolean
}

type Params = Record<string, string>

/** Filters.member.N.<field> and Filters.member.N.Values.member.M, as the Query protocol sends them. */
export function filterParams(params: Params): Array<{ fields: Record<string, string>; values: string[] }> {
  const out = new Map<number, { fields: Record<string, string>; values: Array<[number, string]> }>()
  for (const [key, value] of Object.entries(params)) {
    const match = /^Filters\.member\.(\d+)\.(\w+)(?:\.member\.(\d+))?$/.exec(key)
    if (!match) continue
    const n = Number(match[1])
    const entry = out.get(n) ?? { fields: {}, values: [] }
    out.set(n, entry)
    if (match[2] === 'Values' && match[3] !== undefined) entry.values.push([Number(match[3]), value])
    else entry.fields[match[2]] = value
  }
  return [...out.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => ({ fields: e.fields, values: e.values.sort((a, b) => a[0] - b[0]).map(([, v]) => v) }))
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message)
}

function page<T>(list: T[], p: Params): { items: T[]; next?: string } {
  let size = list.length
  if (p.MaxRecords !== undefined) {
    size = Number(p.MaxRecords)
    if (!Number.isInteger(size) || size < 1) {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${p.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1`
      )
    }
  }
  const start = p.NextToken ? Number(Buffer.from(p.NextToken, 'base64url').toString()) : 0
  if (!Number.isInteger(start) || start < 0) throw invalid('Invalid NextToken.')
  const next =
    start + size < list.length ? Buffer.from(String(start + size)).toString('base64url') : undefined
  return { items: list.slice(start, start + size), next }
}

const VERSION_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'begins_with', 'ends_with']
const BRANCH_OPERATORS = ['=', '!=', 'begins_with', 'ends_with', 'contains', 'in', 'not_in']

function test(operator: string, actual: string | undefined, wanted: string, version = false): boolean {
  const a = actual ?? ''
  const cmp = version ? compareVersions(a, wanted) : a.toLowerCase().localeCompare(wanted.toLowerCase())
  switch (operator) {
    case '=':
      return actual !== undefined && cmp === 0
    case '!=':
      return actual === undefined || cmp !== 0
    case '<':
      return cmp < 0
    case '<=':
      return cmp <= 0
    case '>':
      return cmp > 0
    case '>=':
      return cmp >= 0
    case 'contains':
      return a.toLowerCase().includes(wanted.toLowerCase())
    case 'begins_with':
      return a.toLowerCase().startsWith(wanted.toLowerCase())
    case 'ends_with':
      return a.toLowerCase().endsWith(wanted.toLowerCase())
    default:
      return false
  }
}

export class PlatformCatalog {
  constructor(private readonly spec: PlatformCatalogSpec = DEFAULT_PLATFORMS) {}

  private branch(name: string): PlatformBranchSpec | undefined {
    return this.spec.branches.find(b => b.branch === name)
  }

  /** Every version that exists in the region, with its ARN and whether it is its branch's recommended one. */
  versionsIn(region: string): PlatformVersion[] {
    const here = this.spec.versions.filter(v => !v.regions || v.regions.includes(region))
    const newestReady = new Map<string, string>()
    for (const v of here) {
      if ((v.status ?? 'Ready') !== 'Ready') continue
      const best = newestReady.get(v.branch)
      if (!best || compareVersions(v.version, best) > 0) newestReady.set(v.branch, v.version)
    }
    return here.map(v => ({
      ...v,
      arn: platformArn(region, v.branch, v.version),
      region,
      status: v.status ?? 'Ready',
      branchSpec: this.branch(v.branch),
      recommended: newestReady.get(v.branch) === v.version
    }))
  }

  byArn(region: string, arn: string): PlatformVersion | undefined {
    return this.versionsIn(region).find(v => v.arn === arn)
  }

  bySolutionStack(region: string, name: string): PlatformVersion | undefined {
    return this.versionsIn(region).find(v => v.solutionStackName === name)
  }

  /** The ARN of an environment running this solution stack (derived when the catalog does not know it). */
  arnForStack(region: string, stack: string): string {
    const known = this.bySolutionStack(region, stack)
    if (known) return known.arn
    const parts = /^64bit (.+) v(\d+\.\d+\.\d+) running (.+)$/.exec(stack)
    return parts
      ? platformArn(region, `${parts[3]} running on 64bit ${parts[1]}`, parts[2])
      : platformArn(region, stack, '1.0.0')
  }

  private summary(v: PlatformVersion): XmlNode {
    return {
      PlatformArn: v.arn,
      PlatformOwner: 'AWSElasticBeanstalk',
      PlatformStatus: v.status,
      PlatformCategory: v.branchSpec?.platform,
      OperatingSystemName: v.operatingSystem.name,
      OperatingSystemVersion: v.operatingSystem.version,
      SupportedTierList: members(['WebServer/Standard', 'Worker/SQS/HTTP']),
      SupportedAddonList: members(['Log/S3', 'Monitoring/Healthd', 'WorkerDaemon/SQSD']),
      PlatformLifecycleState: v.recommended ? 'Recommended' : undefined,
      PlatformVersion: v.version,
      PlatformBranchName: v.branch,
      PlatformBranchLifecycleState: v.branchSpec?.lifecycle
    }
  }

  private attribute(v: PlatformVersion, type: string): string | string[] | undefined {
    switch (type) {
      case 'PlatformName':
        return v.branch
      case 'PlatformVersion':
        return v.version
      case 'PlatformStatus':
        return v.status
      case 'PlatformBranchName':
        return v.branch
      case 'PlatformLifecycleState':
        return v.recommended ? 'Recommended' : undefined
      case 'PlatformOwner':
        return 'AWSElasticBeanstalk'
      case 'SupportedTier':
        return ['WebServer/Standard', 'Worker/SQS/HTTP']
      case 'SupportedAddon':
        return ['Log/S3', 'Monitoring/Healthd', 'WorkerDaemon/SQSD']
      case 'ProgrammingLanguageName':
        return v.language?.name
      case 'OperatingSystemName':
        return v.operatingSystem.name
      default:
        throw invalid(
          `Invalid filter type '${type}'. Valid types: PlatformName, PlatformVersion, PlatformStatus, PlatformBranchName, PlatformLifecycleState, PlatformOwner, SupportedTier, SupportedAddon, ProgrammingLanguageName, OperatingSystemName.`
        )
    }
  }

  listPlatformVersions(p: Params, region: string): XmlNode {
    const filters = filterParams(p).map(({ fields, values }) => {
      const type = fields.Type ?? ''
      const operator = fields.Operator ?? '='
      if (!VERSION_OPERATORS.includes(operator)) throw invalid(`Invalid filter operator '${operator}'.`)
      if (values.length !== 1)
        throw invalid(`Filter '${type}' takes exactly one value (it has ${values.length}).`)
      return { type, operator, value: values[0] }
    })
    const list = this.versionsIn(region)
      .filter(v =>
        filters.every(f => {
          const actual = this.attribute(v, f.type)
          return Array.isArray(actual)
            ? actual.some(a => test(f.operator, a, f.value))
            : test(f.operator, actual, f.value, f.type === 'PlatformVersion')
        })
      )
      .sort((a, b) => a.arn.localeCompare(b.arn))
    const { items, next } = page(list, p)
    return { PlatformSummaryList: members(items.map(v => this.summary(v))), NextToken: next }
  }

  describePlatformVersion(p: Params, region: string): XmlNode {
    if (!p.PlatformArn) throw new AwsError('MissingParameter', 'PlatformArn is required.')
    const v = this.byArn(region, p.PlatformArn)
    if (!v) throw invalid(`No Platform found for PlatformArn = '${p.PlatformArn}'.`)
    return {
      PlatformDescription: {
        PlatformArn: v.arn,
        PlatformOwner: 'AWSElasticBeanstalk',
        PlatformName: v.branch,
        PlatformVersion: v.version,
        SolutionStackName: v.solutionStackName,
        PlatformStatus: v.status,
        DateCreated: new Date(Date.UTC(2026, 0, 1)),
        DateUpdated: new Date(Date.UTC(2026, 0, 1)),
        PlatformCategory: v.branchSpec?.platform,
        Description: v.solutionStackName,
        Maintainer: 'aws-elasticbeanstalk',
        OperatingSystemName: v.operatingSystem.name,
        OperatingSystemVersion: v.operatingSystem.version,
        ProgrammingLanguages: members(
          v.language ? [{ Name: v.language.name, Version: v.language.version }] : []
        ),
        Frameworks: members([]),
        CustomAmiList: members([]),
        SupportedTierList: members(['WebServer/Standard', 'Worker/SQS/HTTP']),
        SupportedAddonList: members(['Log/S3', 'Monitoring/Healthd', 'WorkerDaemon/SQSD']),
        PlatformLifecycleState: v.recommended ? 'Recommended' : undefined,
        PlatformBranchName: v.branch,
        PlatformBranchLifecycleState: v.branchSpec?.lifecycle
      }
    }
  }

  listPlatformBranches(p: Params): XmlNode {
    const filters = filterParams(p).map(({ fields, values }) => {
      const attribute = fields.Attribute ?? ''
      const operator = fields.Operator ?? '='
      if (!BRANCH_OPERATORS.includes(operator)) throw invalid(`Invalid filter operator '${operator}'.`)
      if (!['BranchName', 'LifecycleState', 'PlatformName', 'TierType'].includes(attribute))
        throw invalid(`Invalid filter attribute '${attribute}'.`)
      if (values.length > 10) throw invalid('A filter takes at most 10 values.')
      if (!['in', 'not_in'].includes(operator) && values.length !== 1)
        throw invalid(`Operator '${operator}' takes one value.`)
      return { attribute, operator, values }
    })
    const value = (b: PlatformBranchSpec, attribute: string): string[] =>
      attribute === 'BranchName'
        ? [b.branch]
        : attribute === 'LifecycleState'
          ? [b.lifecycle]
          : attribute === 'PlatformName'
            ? [b.platform]
            : ['WebServer/Standard', 'Worker/SQS/HTTP']
    const list = this.spec.branches.filter(b =>
      filters.every(f => {
        const actual = value(b, f.attribute)
        if (f.operator === 'in') return actual.some(a => f.values.some(w => test('=', a, w)))
        if (f.operator === 'not_in') return !actual.some(a => f.values.some(w => test('=', a, w)))
        return actual.some(a => test(f.operator, a, f.values[0]))
      })
    )
    const { items, next } = page(list, p)
    return {
      PlatformBranchSummaryList: members(
        items.map(b => ({
          PlatformName: b.platform,
          BranchName: b.branch,
          LifecycleState: b.lifecycle,
          BranchOrder: b.order,
          SupportedTierList: members(['WebServer/Standard', 'Worker/SQS/HTTP'])
        }))
      ),
      NextToken: next
    }
  }

  /**
   * UpdateEnvironment's PlatformArn or SolutionStackName: the platform version it asks for in this region, or
   * undefined when it names none. Refuses both at once, an unknown one, and one that is not Ready.
   */
  requested(p: Params, region: string): PlatformVersion | undefined {
    if (p.PlatformArn !== undefined && p.SolutionStackName !== undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'You cannot specify both a PlatformArn and a SolutionStackName.'
      )
    }
    if (p.PlatformArn !== undefined) {
      const v = this.byArn(region, p.PlatformArn)
      if (!v) throw invalid(`No Platform found for PlatformArn = '${p.PlatformArn}'.`)
      if (v.status !== 'Ready') throw invalid(`Platform ${v.arn} is ${v.status}: it cannot be used.`)
      return v
    }
    if (p.SolutionStackName !== undefined) {
      const v = this.bySolutionStack(region, p.SolutionStackName)
      if (!v) throw invalid(`No Solution Stack named '${p.SolutionStackName}' found.`)
      if (v.status !== 'Ready') throw invalid(`Platform ${v.arn} is ${v.status}: it cannot be used.`)
      return v
    }
    return undefined
  }
}
