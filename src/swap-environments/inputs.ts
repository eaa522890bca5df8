import {
  parseApplicationName,
  parseHealth,
  parseLabel,
  type RequiredHealth
} from '../common/beanstalk-inputs.js'
import { inputError } from '../common/errors.js'
import {
  parseBoolean,
  parseTimeout,
  readRawInputs,
  resolveRegion,
  type RawInputsOf
} from '../common/inputs.js'
import { DEFAULT_LOG_LINES, parseLogLines } from '../common/logs/inputs.js'
import { parseLiveCname, parsePair, type EnvironmentPair, type LiveCname } from '../common/pair.js'

/** Defaults, as declared in actions/swap-environments/action.yml (a test keeps the two in step). */
export const DEFAULTS = {
  'required-health': 'Green',
  'wait-for-dns': 'true',
  'idle-after-swap': 'keep',
  timeout: '10m',
  'dry-run': 'false',
  'log-lines': String(DEFAULT_LOG_LINES)
} as const

export const INPUT_NAMES = [
  'application-name',
  'environment-name',
  'live-cname',
  'expect-version-label',
  'required-health',
  'wait-for-dns',
  'idle-after-swap',
  'timeout',
  'region',
  'dry-run',
  'log-lines'
] as const
export type RawInputs = RawInputsOf<typeof INPUT_NAMES>

export type IdleAfterSwap = 'keep' | 'terminate'

export interface Inputs {
  application: string
  pair: EnvironmentPair
  liveCname: LiveCname
  /** Swap only when the idle environment runs this version (and it is live already: nothing to swap). */
  expectVersionLabel?: string
  requiredHealth: RequiredHealth
  waitForDns: boolean
  idleAfterSwap: IdleAfterSwap
  timeoutMs: number
  region: string
  dryRun: boolean
  /** `log-lines`: the lines of each instance log a failure after the swap started shows (0: no logs). */
  logLines: number
}

/** A version label as Beanstalk allows it (1 to 100 characters), or undefined when empty. */
export function parseExpectVersionLabel(value: string): string | undefined {
  return parseLabel(
    'expect-version-label',
    value,
    'expected a version label such as the version-label output of deploy-beanstalk: no slashes, backslashes or control characters.'
  )
}

export function parseRequiredHealth(value: string): RequiredHealth {
  return parseHealth(
    value,
    DEFAULTS['required-health'],
    ': the least health the idle environment must show to be swapped in'
  )
}

export function parseIdleAfterSwap(value: string): IdleAfterSwap {
  const text = (value === '' ? DEFAULTS['idle-after-swap'] : value).toLowerCase()
  if (text === 'keep' || text === 'terminate') return text
  throw inputError(
    'idle-after-swap',
    value,
    'expected keep (the old live environment stays, one swap away) or terminate (it is terminated once the swap succeeded).'
  )
}

function parseLive(value: string, region: string): LiveCname {
  if (value === '') {
    throw inputError(
      'live-cname',
      value,
      `it is required: the CNAME that serves production (the one CloudFront's origin points at), such as brilliancrm or brilliancrm.${region}.elasticbeanstalk.com.`
    )
  }
  return parseLiveCname(value, region)
}

/** Parses and checks every input; throws a UserError on the first problem. Pure: no I/O, no AWS call. */
export function parseInputs(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): Inputs {
  const application = parseApplicationName(raw['application-name'])
  const pair = parsePair(raw['environment-name'])
  const region = resolveRegion(raw.region, env)
  return {
    application,
    pair,
    liveCname: parseLive(raw['live-cname'], region),
    expectVersionLabel: parseExpectVersionLabel(raw['expect-version-label']),
    requiredHealth: parseRequiredHealth(raw['required-health']),
    waitForDns: parseBoolean('wait-for-dns', raw['wait-for-dns'], DEFAULTS['wait-for-dns'] === 'true'),
    idleAfterSwap: parseIdleAfterSwap(raw['idle-after-swap']),
    timeoutMs: parseTimeout(raw.timeout, DEFAULTS.timeout),
    region,
    dryRun: parseBoolean('dry-run', raw['dry-run'], false),
    logLines: parseLogLines(raw['log-lines'])
  }
}

/** Reads the action's inputs from the environment (INPUT_*), then parses them. */
export function readInputs(): Inputs {
  return parseInputs(readRawInputs(INPUT_NAMES))
}
