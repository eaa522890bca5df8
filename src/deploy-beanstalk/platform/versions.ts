/**
 * Platform versions and branches in our own small types, and what can be said of them without AWS: version order,
 * which one is newest, whether it is a Docker platform, the ARN and solution stack name of a managed platform
 * version. Pure.
 *
 * Names, as Elastic Beanstalk has them for its managed platforms (the AWS Elastic Beanstalk Platforms glossary):
 * - platform branch: "Docker running on 64bit Amazon Linux 2023" (also the platform name in the ARN);
 * - platform version: 4.4.0 of a branch; its ARN arn:aws:elasticbeanstalk:<region>::platform/<branch>/<version>;
 * - solution stack name of that version: "64bit Amazon Linux 2023 v4.4.0 running Docker".
 */

/** One platform version (ListPlatformVersions' summary, or DescribePlatformVersion's description). */
export interface PlatformVersionInfo {
  arn: string
  /** semantic version, e.g. 4.4.0 */
  version: string
  /** PlatformName (DescribePlatformVersion only) */
  name?: string
  /** Creating | Failed | Ready | Deleting | Deleted */
  status?: string
  /** e.g. Docker running on 64bit Amazon Linux 2023 (absent for custom platforms) */
  branch?: string
  /** the branch's lifecycle state: Beta | Supported | Deprecated | Retired (compare case-insensitively) */
  branchState?: string
  /** the version's: Recommended, or absent (not the recommended version of its branch) */
  lifecycle?: string
  /** DescribePlatformVersion only */
  solutionStack?: string
  operatingSystem?: string
}

export interface PlatformBranchInfo {
  /** the platform (family), e.g. Docker */
  platform: string
  branch: string
  state?: string
  /** larger = newer within the platform */
  order?: number
}

/** One ListPlatformVersions filter (PlatformFilter: one value, as the API reference says). */
export interface PlatformFilter {
  type:
    | 'PlatformName'
    | 'PlatformVersion'
    | 'PlatformStatus'
    | 'PlatformBranchName'
    | 'PlatformLifecycleState'
    | 'PlatformOwner'
  operator: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'begins_with' | 'ends_with'
  value: string
}

/** 4.10.0 after 4.9.0: numeric parts compared in order. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(n => Number.parseInt(n, 10) || 0)
  const y = b.split('.').map(n => Number.parseInt(n, 10) || 0)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase()

export const isReady = (v: PlatformVersionInfo): boolean => same(v.status, 'Ready')
export const isRecommended = (v: PlatformVersionInfo): boolean => same(v.lifecycle, 'Recommended')
export const isDeprecated = (v: Pick<PlatformVersionInfo, 'branchState'>): boolean =>
  same(v.branchState, 'Deprecated')
export const isRetired = (v: Pick<PlatformVersionInfo, 'branchState'>): boolean =>
  same(v.branchState, 'Retired')

/** The newest Ready version of the list (ListPlatformVersions documents no order), or undefined. */
export function newestReady(versions: readonly PlatformVersionInfo[]): PlatformVersionInfo | undefined {
  return versions
    .filter(isReady)
    .reduce<PlatformVersionInfo | undefined>(
      (best, v) => (best === undefined || compareVersions(v.version, best.version) > 0 ? v : best),
      undefined
    )
}

/**
 * A Docker platform branch, the one a docker-compose.yml bundle runs on ("Docker running on …"). ECS ("ECS running
 * on …", formerly Multi-container Docker) takes a Dockerrun.aws.json v2 instead, so it is another kind.
 */
export function isDockerBranch(branch: string | undefined): boolean {
  return branch !== undefined && /^Docker running on /i.test(branch)
}

export interface PlatformArnParts {
  region: string
  /** empty for Beanstalk's own platforms, the account for a custom platform */
  account: string
  name: string
  version: string
}

const ARN =
  /^arn:aws[a-z-]*:elasticbeanstalk:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12})?:platform\/(.+)\/(\d+(?:\.\d+)*)$/

/** The parts of a platform ARN, or undefined when it is not one. */
export function parsePlatformArn(arn: string): PlatformArnParts | undefined {
  const m = ARN.exec(arn)
  return m ? { region: m[1], account: m[2] ?? '', name: m[3], version: m[4] } : undefined
}

/** arn:aws:elasticbeanstalk:<region>::platform/<name>/<version> (a managed platform; partition aws). */
export function platformArn(region: string, name: string, version: string): string {
  return `arn:aws:elasticbeanstalk:${region}::platform/${name}/${version}`
}

const STACK = /^64bit (.+) v(\d+(?:\.\d+)*) running (.+)$/
const BRANCH = /^(.+) running on 64bit (.+)$/

/** "64bit Amazon Linux 2023 v4.4.0 running Docker" → branch "Docker running on 64bit Amazon Linux 2023", 4.4.0. */
export function parseSolutionStack(name: string): { branch: string; version: string } | undefined {
  const m = STACK.exec(name)
  return m ? { branch: `${m[3]} running on 64bit ${m[1]}`, version: m[2] } : undefined
}

/** The solution stack name of a managed platform version (the inverse of parseSolutionStack). */
export function solutionStackOf(
  v: Pick<PlatformVersionInfo, 'branch' | 'version' | 'solutionStack'>
): string | undefined {
  if (v.solutionStack) return v.solutionStack
  const m = v.branch ? BRANCH.exec(v.branch) : null
  return m ? `64bit ${m[2]} v${v.version} running ${m[1]}` : undefined
}

/** How a version is shown: its solution stack name when known, else its ARN. */
export function platformLabel(
  v: Pick<PlatformVersionInfo, 'arn' | 'branch' | 'version' | 'solutionStack'>
): string {
  return solutionStackOf(v) ?? v.arn
}

/** The operating system of a branch ("… running on 64bit Amazon Linux 2023" → "Amazon Linux 2023"). */
export function operatingSystemOf(branch: string | undefined): string | undefined {
  const m = branch ? BRANCH.exec(branch) : null
  return m ? m[2] : undefined
}
