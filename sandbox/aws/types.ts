import type { PlatformCatalogSpec } from './platforms.js'

/**
 * The sandbox's public types: the contract in /work/notes/SANDBOX-API.md (scenarios are plain data).
 */
export type EnvStatus = 'Launching' | 'Updating' | 'Ready' | 'Terminating' | 'Terminated'
export type Health = 'Green' | 'Yellow' | 'Red' | 'Grey'

export interface UpdateScript {
  /** time from UpdateEnvironment to the end of the update */
  durationMs: number
  /** each update of the environment lasts this much longer than the one before (npm run bench: never exact) */
  stepMs?: number
  /** 'fail' fails the deployment of a version; a configuration-only update (no VersionLabel) then succeeds */
  outcome: 'healthy' | 'fail' | 'red' | 'yellow-then-green' | 'never'
  /** yellow-then-green: Yellow for this long after Ready, then Green (default 3000) */
  yellowMs?: number
  /** versions whose update ends healthy whatever `outcome` says (a rollback to a known-good version) */
  healthyVersions?: string[]
  /**
   * Another caller (a second workflow without the concurrency group) deploys this label the moment each update
   * to another label ends: its UpdateEnvironment goes in before anyone sees Ready, and it ends healthy after
   * `durationMs`. The version must exist.
   */
  followedBy?: { label: string; durationMs?: number }
  /**
   * platform versions (e.g. 4.10.0, or ARNs) on which the application fails: an update to one of them ends with
   * Beanstalk's errors and health Red, the environment left on that platform and its old version
   */
  failingPlatforms?: string[]
}

export interface EnvSpec {
  name: string
  /** default e-<10 chars> derived from the name */
  id?: string
  /** initial status, default Ready */
  status?: EnvStatus
  /** initial status Updating → Ready after this */
  busyForMs?: number
  /** default Green */
  health?: Health
  /** running version */
  versionLabel?: string
  /** default '64bit Amazon Linux 2023 v4.4.0 running Docker' */
  solutionStackName?: string
  /** default <name>.<region>.elasticbeanstalk.com */
  cname?: string
  /** default { durationMs: 3000, outcome: 'healthy' }; used for every UpdateEnvironment */
  update?: UpdateScript
  /** option settings other than environment properties (default: a single-instance Docker environment's) */
  optionSettings?: OptionSettingView[]
  /** aws:elasticbeanstalk:application:environment properties */
  environmentVariables?: Record<string, string>
  /** aws:elasticbeanstalk:application:environmentsecrets (name → ARN) */
  environmentSecrets?: Record<string, string>
  /**
   * Earlier updates' durations in ms, oldest first: their start and completion events are in DescribeEvents, an
   * hour apart before the sandbox's start (what deploy-beanstalk reads to know when an update should end).
   */
  history?: number[]
  /** the environment's own tags (ListTagsForResource adds Beanstalk's automatic ones) */
  tags?: Record<string, string>
}

/** One option setting, as DescribeConfigurationSettings and UpdateEnvironment have it. */
export interface OptionSettingView {
  namespace: string
  optionName: string
  value: string
  resourceName?: string
}

export interface VersionSpec {
  label: string
  description?: string
  sourceBundle?: { bucket: string; key: string }
}

export interface AppSpec {
  name: string
  /** default eu-central-1 */
  region?: string
  description?: string
  versions?: VersionSpec[]
  environments?: EnvSpec[]
}

export interface DistributionSpec {
  id: string
  /** default <id lowercased>.cloudfront.net */
  domainName?: string
  aliases?: string[]
  /** InProgress → Completed, default 2000 */
  invalidationMs?: number
  /** origin domain, default a Beanstalk CNAME-like host */
  originDomainName?: string
  comment?: string
}

export interface FaultSpec {
  /** 0..1 of calls answered Throttling "Rate exceeded" (HTTP 400) */
  throttleRate?: number
  /** the first N calls answered Throttling */
  throttleFirst?: number
  /** 0..1 answered HTTP 500/503 InternalFailure/ServiceUnavailable */
  serverErrorRate?: number
  /** 0..1 connections destroyed without a response */
  resetRate?: number
  /** added latency per call */
  delayMs?: number
  /** limit faults to these operations (default all Beanstalk + CloudFront ops) */
  operations?: string[]
  /** deterministic randomness */
  seed?: number
  /**
   * The first N calls of these operations take effect, then their reply is lost (the connection is destroyed
   * after the handler ran): the caller cannot know whether the call took.
   */
  lostReplies?: { operations: string[]; count?: number }
  /** The first N calls of these operations are answered HTTP 200 with a truncated (unparseable) body. */
  malformed?: { operations: string[]; count?: number }
  /**
   * These operations are refused AccessDenied with a message that echoes the request's headers (as AWS does
   * for SignatureDoesNotMatch): X-Amz-Security-Token included.
   */
  echoRequest?: { operations: string[] }
  /**
   * The session expires mid-run: after the first `after` calls of these operations (each counted on its own), they
   * are refused ExpiredToken (HTTP 403), as when the OIDC credentials run out during a long update.
   */
  expireAfter?: { operations: string[]; after: number }
  /**
   * An account-wide token bucket for every Beanstalk request of every client of this sandbox (bucket.ts): an empty
   * bucket answers Throttling. Applies whatever `operations` says.
   */
  accountBucket?: { perSecond: number; burst: number }
}

export interface SandboxScenario {
  name: string
  description?: string
  /** default 123456789012 */
  accountId?: string
  applications?: AppSpec[]
  distributions?: DistributionSpec[]
  faults?: FaultSpec
  /** CreateApplicationVersion with Process=true: Processing for this long (default DEFAULT_PROCESSING_MS) */
  processingMs?: number
  /** account-wide limit of application versions (AWS default 1000) */
  maxApplicationVersions?: number
  /**
   * UpdateEnvironment with a VersionLabel and OptionSettings/OptionsToRemove together: 'accepted' (default) or
   * 'refused' with InvalidParameterCombination, as the API reference says it may be
   */
  configurationWithVersion?: 'accepted' | 'refused'
  /** platform versions and branches (default: platforms.ts DEFAULT_PLATFORMS) */
  platforms?: PlatformCatalogSpec
  /** UpdateEnvironment with a VersionLabel and a PlatformArn/SolutionStackName: 'accepted' (default) or 'refused' */
  platformWithVersion?: 'accepted' | 'refused'
  /** SwapEnvironmentCNAMEs: both environments Updating for this long, then each holds the other's CNAME (default DEFAULT_SWAP_MS) */
  swapMs?: number
  /**
   * How a SwapEnvironmentCNAMEs ends: 'swap' (default) each holds the other's CNAME; 'fail' Beanstalk could not
   * finish it: ERROR events on both, the CNAMEs as they were, and the environment being swapped in (the source)
   * Red, its container exited (its tail logs say so)
   */
  swapOutcome?: 'swap' | 'fail'
  /** TerminateEnvironment: Terminating for this long, then Terminated and its CNAME free (default DEFAULT_TERMINATE_MS) */
  terminateMs?: number
  /** CreateEnvironment: Launching for this long, then Ready and Green on its version (default DEFAULT_LAUNCH_MS) */
  launchMs?: number
  /** The instances' tail logs (RequestEnvironmentInfo/RetrieveEnvironmentInfo; logs.ts) */
  tailLogs?: TailLogsSpec
}

/** How the instances answer a tail request (logs.ts). */
export interface TailLogsSpec {
  /** 'answer' (default): each instance's tail after `answerAfterMs`; 'never': no instance ever answers; 'denied': AccessDenied */
  behaviour?: 'answer' | 'never' | 'denied'
  /** default 2000 */
  answerAfterMs?: number
  /** instances per environment (default 1) */
  instances?: number
}

/** 'sts' answers GetCallerIdentity only (for configure-aws-credentials with static keys under act) */
export type Service = 'elasticbeanstalk' | 'cloudfront' | 's3' | 'sts'

export interface RequestLogEntry {
  time: number
  service: Service
  region: string
  operation: string
  params: Record<string, unknown>
  status: number
  fault?: 'throttle' | '5xx' | 'reset' | 'lost-reply' | 'malformed' | 'echo' | 'expired'
  errorCode?: string
}

export interface EnvironmentView {
  id: string
  /** the CNAME it holds (a swap moves it: swap.ts) */
  cname: string
  status: EnvStatus
  health: Health
  versionLabel?: string
  /** ms epoch the last update ended */
  readyAt?: number
}

export interface VersionView {
  status: string
  sourceBundle?: { bucket: string; key: string }
}

export interface Sandbox {
  /** http://127.0.0.1:PORT: Elastic Beanstalk (Query) + CloudFront (REST-XML) */
  url: string
  /** http://127.0.0.1:PORT2: s3rver */
  s3Url: string
  /** AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (dummy), AWS_REGION */
  env: Record<string, string>
  /** every call, faulted ones included */
  requests: RequestLogEntry[]
  /** successful (non-faulted) calls of that operation */
  calls(operation: string): RequestLogEntry[]
  /** successful mutating calls */
  mutatingCalls(): RequestLogEntry[]
  environment(name: string, region?: string): EnvironmentView | undefined
  version(app: string, label: string, region?: string): VersionView | undefined
  /** the environment's applied option settings (DescribeConfigurationSettings, deployed) */
  settings(environment: string, region?: string): OptionSettingView[] | undefined
  /** elasticbeanstalk-<region>-<accountId> */
  storageBucket(region?: string): string
  setFaults(faults: FaultSpec | undefined): void
  /**
   * The most requests of a service in any `windowMs` window (default 60 s). `all` (the default) counts every
   * request: throttled, failed, reset and lost ones included; `answered` leaves out the ones refused with
   * Throttling (AWS's token bucket took nothing for them: the actions give their slot back).
   */
  peakRequests(service: Service, windowMs?: number, which?: 'all' | 'answered'): number
  close(): Promise<void>
}

export const DEFAULT_REGION = 'eu-central-1'
export const DEFAULT_ACCOUNT = '123456789012'
export const DEFAULT_STACK = '64bit Amazon Linux 2023 v4.4.0 running Docker'
/** s3rver's one account (sandbox/aws/s3.ts), hence the sandbox's dummy credentials */
export const S3_ACCESS_KEY = 'S3RVER'
export const S3_SECRET_KEY = 'S3RVER'

/** The variables that point the AWS SDK at a sandbox on these URLs (Sandbox.env) */
export function sandboxEnv(url: string, s3Url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ENDPOINT_URL_S3: s3Url,
    AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: S3_SECRET_KEY,
    AWS_REGION: DEFAULT_REGION
  }
}

/** How long CreateApplicationVersion's version stays Processing when the scenario does not say (processingMs) */
export const DEFAULT_PROCESSING_MS = 1000
/** How long a CNAME swap keeps both environments Updating when the scenario does not say (swapMs) */
export const DEFAULT_SWAP_MS = 2000
/** How long an environment stays Terminating when the scenario does not say (terminateMs) */
export const DEFAULT_TERMINATE_MS = 3000

/** How long a new environment stays Launching when the scenario does not say (launchMs); a real one takes minutes */
export const DEFAULT_LAUNCH_MS = 3000

/** An AWS error answer: code, message, HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
    this.name = code
  }
}
