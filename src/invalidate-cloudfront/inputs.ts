import { domainToASCII } from 'node:url'
import { UserError, inputError } from '../common/errors.js'
import { parseBoolean, parseList, parseTimeout, readRawInputs, type RawInputsOf } from '../common/inputs.js'
import { planPaths, type PathPlan } from './paths.js'

/** Defaults, as declared in actions/invalidate-cloudfront/action.yml (a test keeps the two in step). */
export const DEFAULTS = { paths: '/*', wait: 'true', timeout: '10m' } as const

export const INPUT_NAMES = ['distribution-id', 'domain', 'paths', 'wait', 'timeout'] as const
export type RawInputs = RawInputsOf<typeof INPUT_NAMES>

/** Which distribution: given by id, or to be looked up by one of its alternate domain names. */
export type Target = { kind: 'id'; distributionId: string } | { kind: 'domain'; domain: string }

export interface Inputs {
  target: Target
  paths: PathPlan
  wait: boolean
  timeoutMs: number
}

/** A CloudFront distribution id: upper-case letters and digits, such as E2ABCDEF123456. */
export function parseDistributionId(value: string): string {
  const name = 'distribution-id'
  if (/^[A-Z0-9]{10,32}$/.test(value)) return value
  const arn = /^arn:aws[a-z-]*:cloudfront::\d{12}:distribution\/([A-Z0-9]+)$/.exec(value)
  if (arn) throw inputError(name, value, `expected the distribution id alone: use "${arn[1]}".`)
  if (value.includes('.')) {
    throw inputError(
      name,
      value,
      value.endsWith('.cloudfront.net')
        ? 'expected the distribution id (such as E2ABCDEF123456), not its cloudfront.net domain name: pass the domain as `domain` instead, or copy the id from the CloudFront console.'
        : 'expected a CloudFront distribution id such as E2ABCDEF123456; this looks like a domain name: pass it as the `domain` input instead.'
    )
  }
  if (/^[A-Za-z0-9]{10,32}$/.test(value)) {
    throw inputError(name, value, `CloudFront ids are upper-case: use "${value.toUpperCase()}".`)
  }
  throw inputError(
    name,
    value,
    'expected a CloudFront distribution id: upper-case letters and digits, such as E2ABCDEF123456.'
  )
}

/**
 * An alternate domain name, normalised: lower case, no trailing dot, internationalised names in their ASCII
 * (punycode) form as CloudFront stores them. A pasted URL (`https://brilliancrm.com/`) is reduced to its host.
 */
export function parseDomain(value: string): string {
  const name = 'domain'
  let host = value.trim()
  const url = /^https?:\/\/([^/?#]+)\/?$/i.exec(host)
  if (url) host = url[1]
  host = host.replace(/\.$/, '')
  const ascii = host.startsWith('*.') ? `*.${domainToASCII(host.slice(2))}` : domainToASCII(host)
  const label = '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)'
  const valid = new RegExp(`^(?:\\*\\.)?(?:${label}\\.)+${label}$`)
  if (ascii === '' || ascii.length > 253 || !valid.test(ascii)) {
    throw inputError(
      name,
      value,
      "expected a domain name such as brilliancrm.com: one of the distribution's alternate domain names (CNAMEs)."
    )
  }
  return ascii
}

/** Parses and checks every input; throws a UserError on the first problem. Pure: no I/O, no AWS call. */
export function parseInputs(raw: RawInputs): Inputs {
  const id = raw['distribution-id'].trim()
  const domain = raw.domain.trim()
  if (id !== '' && domain !== '') {
    throw new UserError(
      `Inputs 'distribution-id' ("${id}") and 'domain' ("${domain}") are both set: set exactly one of them (the id, or an alternate domain name to look the distribution up by).`,
      { input: 'distribution-id' }
    )
  }
  if (id === '' && domain === '') {
    throw new UserError(
      "Neither 'distribution-id' nor 'domain' is set: set exactly one, e.g. `domain: brilliancrm.com` (an alternate domain name of the distribution) or `distribution-id: E2ABCDEF123456`.",
      { input: 'distribution-id' }
    )
  }
  const target: Target =
    id !== ''
      ? { kind: 'id', distributionId: parseDistributionId(id) }
      : { kind: 'domain', domain: parseDomain(domain) }
  const pathsText = raw.paths.trim() === '' ? DEFAULTS.paths : raw.paths
  const paths = planPaths(parseList(pathsText))
  const wait = parseBoolean('wait', raw.wait.trim(), DEFAULTS.wait === 'true')
  const timeoutMs = parseTimeout(raw.timeout.trim(), DEFAULTS.timeout)
  return { target, paths, wait, timeoutMs }
}

/** Reads the action's inputs from the environment (INPUT_*), then parses them. */
export function readInputs(): Inputs {
  const raw = readRawInputs(INPUT_NAMES)
  // `paths` keeps its line structure: readRaw trims only the ends, which parseList handles anyway.
  return parseInputs(raw)
}
