import { parseBoolean, parseTimeout, readRawInputs, type RawInputsOf } from '../common/inputs.js'
import { DEFAULT_PLATFORMS, parsePlatforms, type Platform } from './platform.js'
import { parseReference, type ImageReference } from './reference.js'

/** Defaults, as declared in actions/verify-package-public/action.yml (a test keeps the two in step). */
export const DEFAULTS = {
  token: '${{ github.token }}',
  timeout: '30s',
  'fail-on-private': 'true',
  platforms: DEFAULT_PLATFORMS
} as const

export const INPUT_NAMES = ['image', 'token', 'timeout', 'fail-on-private', 'platforms'] as const
export type RawInputs = RawInputsOf<typeof INPUT_NAMES>

export interface Inputs {
  image: ImageReference
  /** For the GitHub packages API only; never sent to the registry. Undefined when empty. */
  token?: string
  /** How long "not found" (and network faults) are retried while the registry catches up after a push. */
  timeoutMs: number
  failOnPrivate: boolean
  /** Every platform the image must serve (the instance type's: linux/amd64 for t3, linux/arm64 for t4g). */
  platforms: Platform[]
}

/** Parses and checks every input; throws a UserError on the first problem. Pure: no I/O. */
export function parseInputs(raw: RawInputs): Inputs {
  const image = parseReference(raw.image)
  const platforms = parsePlatforms((raw.platforms ?? '').trim())
  const timeoutMs = parseTimeout(raw.timeout.trim(), DEFAULTS.timeout)
  const failOnPrivate = parseBoolean(
    'fail-on-private',
    raw['fail-on-private'].trim(),
    DEFAULTS['fail-on-private'] === 'true'
  )
  const token = raw.token.trim()
  return { image, token: token === '' ? undefined : token, timeoutMs, failOnPrivate, platforms }
}

/** Reads the action's inputs from the environment (INPUT_*), then parses them. */
export function readInputs(): Inputs {
  const raw = readRawInputs(INPUT_NAMES)
  return parseInputs(raw)
}
