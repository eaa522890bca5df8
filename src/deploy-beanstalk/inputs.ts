import {
  parseApplicationName,
  parseHealth,
  parseLabel,
  type RequiredHealth
} from '../common/beanstalk-inputs.js'
export type { RequiredHealth }
import { addSecret } from '../common/secrets.js'
import { UserError, inputError } from '../common/errors.js'
import {
  parseBoolean,
  parseList,
  parseTimeout,
  resolveRegion,
  readRawInputs,
  type RawInputsOf
} from '../common/inputs.js'
import { parseConfigurationInputs, valuesToMask, type ConfigurationInputs } from './configuration/inputs.js'
import {
  parseFromEnvironment,
  parseRequireExistingVersion,
  parseRetention,
  type RetentionInputs
} from './versions/inputs.js'
import { parsePlatformInput, type PlatformInput } from './platform/inputs.js' // platform
import { parsePair } from '../common/pair.js'
import { parseBlueGreen, parseStrategy, type BlueGreenInputs } from './bluegreen/inputs.js'
import { parseLogLines } from '../common/logs/inputs.js' // logs on failure

/**
 * The inputs of deploy-beanstalk, parsed and checked in one pure function: nothing reaches AWS before every
 * input is known to be valid. Defaults are declared here and in actions/deploy-beanstalk/action.yml (the docs
 * test keeps the two in step). `compose-file` and `include` have no default in action.yml so that "set by the
 * user" can be told apart from "left at the default" (they are exclusive with `bundle`).
 */
export const DEFAULTS = {
  'compose-file': 'docker-compose.yml',
  wait: 'true',
  timeout: '20m',
  'required-health': 'Green',
  'rollback-on-failure': 'false',
  'dry-run': 'false',
  'require-existing-version': 'false',
  'delete-source-bundles': 'true',
  strategy: 'in-place',
  'log-lines': '100'
} as const

export const INPUT_NAMES = [
  'application-name',
  'environment-name',
  'region',
  'compose-file',
  'image',
  'include',
  'bundle',
  'version-label',
  'version-description',
  'bucket',
  'wait',
  'timeout',
  'required-health',
  'rollback-on-failure',
  'dry-run',
  'require-existing-version',
  'environment-variables',
  'environment-secrets',
  'remove-environment-variables',
  'option-settings',
  'keep-versions',
  'delete-source-bundles',
  'from-environment',
  'platform',
  'strategy',
  'live-cname',
  'log-lines'
] as const
export type RawInputs = RawInputsOf<typeof INPUT_NAMES>

/** Where the bundle comes from: built from a compose file, or a ready zip. */
export type Source =
  | {
      kind: 'compose'
      composeFile: string
      image?: string
      include: string[]
      /** True when `include` was set (a missing path is then an error, not skipped). */
      includeExplicit: boolean
    }
  | { kind: 'bundle'; path: string }

export interface Inputs {
  application: string
  environment: string
  region: string
  source: Source
  /** Set by the user; otherwise derived from the commit and the bundle. */
  versionLabel?: string
  /** `version-label` must name a version that exists (a redeploy): it is never built. */
  requireExistingVersion: boolean
  /** Set by the user (already cut to 200 characters). */
  versionDescription?: string
  /** True when the description was longer than Beanstalk allows and was cut. */
  descriptionTruncated: boolean
  bucket?: string
  wait: boolean
  timeoutMs: number
  requiredHealth: RequiredHealth
  rollbackOnFailure: boolean
  dryRun: boolean
  /** environment-variables, environment-secrets, remove-environment-variables, option-settings. */
  configuration: ConfigurationInputs
  /** `keep-versions`, `delete-source-bundles` (versions/). */
  retention: RetentionInputs
  /** `from-environment`: promote what that environment runs (versions/promote.ts). */
  fromEnvironment?: string
  /** `platform`: keep, latest, an ARN or a solution stack name (platform/). */
  platform: PlatformInput
  /**
   * `strategy: blue-green`: the pair and `live-cname` (bluegreen/); `environment` is then the pair's names, and the
   * one deployed to (the idle one) is decided by the look-up. Undefined for an in-place deploy.
   */
  blueGreen?: BlueGreenInputs
  logLines: number // `log-lines`: the lines of each instance log a failure shows (0: no logs; diagnostics/)
}

export const MAX_DESCRIPTION = 200
/** What goes into the bundle beside the compose file when `include` is not set (where present). */
export const DEFAULT_INCLUDES = ['.ebextensions', '.platform']

export function parseEnvironmentName(value: string): string {
  const expected =
    '4 to 40 letters, digits and hyphens, not starting or ending with a hyphen, such as BrillianCRM-env'
  if (value === '') throw inputError('environment-name', value, `it is required: ${expected}.`)
  if (value.length < 4 || value.length > 40) {
    throw inputError('environment-name', value, `expected ${expected} (it has ${value.length} characters).`)
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value)) {
    throw inputError('environment-name', value, `expected ${expected}.`)
  }
  return value
}

export function parseVersionLabel(value: string): string | undefined {
  return parseLabel(
    'version-label',
    value,
    'expected no slashes, backslashes or control characters (it is part of the S3 key).'
  )
}

export function parseRequiredHealth(value: string): RequiredHealth {
  return parseHealth(value, DEFAULTS['required-health'])
}

export function parseBucket(value: string): string | undefined {
  if (value === '') return undefined
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw inputError(
      'bucket',
      value,
      "expected an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens), or leave it empty to use Beanstalk's own storage bucket."
    )
  }
  return value
}

/** Beanstalk's limit is 200 characters: longer text is cut (the caller says so). */
export function truncateDescription(text: string): { text: string; truncated: boolean } {
  const chars = Array.from(text)
  if (chars.length <= MAX_DESCRIPTION) return { text, truncated: false }
  return { text: chars.slice(0, MAX_DESCRIPTION - 1).join('') + '…', truncated: true }
}

function parseSource(raw: RawInputs): Source {
  const bundle = raw.bundle
  const setWithBundle = (['compose-file', 'image', 'include'] as const).filter(name => raw[name] !== '')
  if (bundle !== '') {
    if (setWithBundle.length > 0) {
      throw new UserError(
        `Input 'bundle' ("${bundle}") is set together with ${setWithBundle.map(n => `'${n}'`).join(', ')}: a ready bundle is deployed as it is, so remove ${setWithBundle.length === 1 ? 'that input' : 'those inputs'} or 'bundle'.`,
        { input: 'bundle' }
      )
    }
    if (!/\.zip$/i.test(bundle)) {
      throw inputError('bundle', bundle, 'expected the path of a .zip file (relative to the workspace).')
    }
    return { kind: 'bundle', path: bundle }
  }
  const image = raw.image === '' ? undefined : raw.image
  if (image !== undefined && /\s/.test(image)) {
    throw inputError('image', image, 'expected one image reference such as ghcr.io/imbit/brilliancrm:<sha>.')
  }
  const include = parseList(raw.include)
  return {
    kind: 'compose',
    composeFile: raw['compose-file'] === '' ? DEFAULTS['compose-file'] : raw['compose-file'],
    image,
    include: include.length > 0 ? include : DEFAULT_INCLUDES,
    includeExplicit: include.length > 0
  }
}

/** Parses and checks every input; throws a UserError naming the input on the first problem. Pure. */
export function parseInputs(raw: RawInputs, env: NodeJS.ProcessEnv): Inputs {
  const application = parseApplicationName(raw['application-name'])
  const environment =
    parseStrategy(raw.strategy) === 'blue-green'
      ? parsePair(raw['environment-name']).names.join(' ')
      : parseEnvironmentName(raw['environment-name'])
  const region = resolveRegion(raw.region, env)
  const blueGreen = parseBlueGreen(raw, region)
  const fromEnvironment = parseFromEnvironment(raw)
  const source = parseSource(raw)
  const versionLabel = parseVersionLabel(raw['version-label'])
  const description =
    raw['version-description'] === '' ? undefined : truncateDescription(raw['version-description'])
  const inputs: Inputs = {
    application,
    environment,
    region,
    source,
    versionLabel,
    requireExistingVersion: parseRequireExistingVersion(raw, versionLabel),
    versionDescription: description?.text,
    descriptionTruncated: description?.truncated ?? false,
    bucket: parseBucket(raw.bucket),
    wait: parseBoolean('wait', raw.wait, DEFAULTS.wait === 'true'),
    timeoutMs: parseTimeout(raw.timeout, DEFAULTS.timeout),
    requiredHealth: parseRequiredHealth(raw['required-health']),
    rollbackOnFailure: parseBoolean('rollback-on-failure', raw['rollback-on-failure'], false),
    dryRun: parseBoolean('dry-run', raw['dry-run'], false),
    configuration: parseConfigurationInputs(raw),
    retention: parseRetention(raw),
    fromEnvironment,
    platform: parsePlatformInput(raw.platform),
    blueGreen,
    logLines: parseLogLines(raw['log-lines'])
  }
  refuseContradictions(inputs)
  return inputs
}

/** Inputs that cannot hold together: refused before anything is looked up. */
export function refuseContradictions(inputs: Inputs): void {
  if (inputs.rollbackOnFailure && !inputs.wait) {
    throw new UserError(
      "Input 'rollback-on-failure' is true but 'wait' is false: a failure is only seen by waiting for the update, so nothing could ever be rolled back. Set wait: true (the default), or remove rollback-on-failure.",
      { input: 'rollback-on-failure' }
    )
  }
}

/** Reads INPUT_* through @actions/core, then parses. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const raw = readRawInputs(INPUT_NAMES)
  // Masked before anything can print them, whatever the parse finds.
  for (const value of valuesToMask(raw['environment-variables'])) addSecret(value)
  return parseInputs(raw, env)
}
