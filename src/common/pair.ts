import { UserError, inputError } from './errors.js'

/**
 * Blue/green pairs, shared by deploy-beanstalk (`strategy: blue-green`) and swap-environments. Pure: the inputs
 * `environment-name` (the pair) and `live-cname` parsed, and which of the pair is live decided from what
 * DescribeEnvironments answered. The environment holding `live-cname` is live, the other idle; after a swap the
 * same inputs find the pair the other way round.
 */

/** `environment-name` as a pair: two names, or one whose twin is `<name>-twin`. */
export interface EnvironmentPair {
  names: readonly [string, string]
  /** True when one name was given and the second is its derived `<name>-twin`. */
  twinDerived: boolean
}

/** `live-cname`, normalised: the prefix and the full host name it stands for. */
export interface LiveCname {
  /** `brilliancrm` (`brilliancrm-env.abcd1234` for a CNAME Beanstalk made without a prefix) */
  prefix: string
  /** `brilliancrm.eu-central-1.elasticbeanstalk.com` (lower case) */
  host: string
}

/** What the pair decision needs of an environment (from DescribeEnvironments). */
export interface PairEnvironment {
  name: string
  id?: string
  cname?: string
  status?: string
  health?: string
  versionLabel?: string
}

export interface ResolvedPair<E extends PairEnvironment = PairEnvironment> {
  live: E
  /** The idle twin; undefined when it does not exist yet (deploy-beanstalk creates it). */
  idle: E | undefined
  /** The idle twin's name, whether it exists or not. */
  idleName: string
}

export const TWIN_SUFFIX = '-twin'
const ENV_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/
const ENV_FORM =
  '4 to 40 letters, digits and hyphens, not starting or ending with a hyphen, such as BrillianCRM-blue'
const PAIR_FORM = `two environment names separated by a space or a comma (such as "BrillianCRM-blue BrillianCRM-green"), or one name whose twin is then <name>${TWIN_SUFFIX}`
/** Beanstalk's rule for a CNAME prefix. */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{2,61}[a-z0-9])$/
const PREFIX_FORM =
  '4 to 63 letters, digits and hyphens, not starting or ending with a hyphen, such as brilliancrm'
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/

function checkName(name: string, input: string, whole: string): void {
  const problem =
    name.length < 4 || name.length > 40
      ? ` (it has ${name.length} characters)`
      : ENV_NAME.test(name)
        ? undefined
        : ''
  if (problem !== undefined) {
    throw inputError(input, whole, `"${name}" is not an environment name: expected ${ENV_FORM}${problem}.`)
  }
}

/** Parses `environment-name` as a pair. Throws a UserError naming `input` when it is not one. */
export function parsePair(value: string, input = 'environment-name'): EnvironmentPair {
  const names = value
    .split(/[\s,]+/)
    .map(name => name.trim())
    .filter(name => name !== '')
  if (names.length === 0) throw inputError(input, value, `it is required: ${PAIR_FORM}.`)
  if (names.length > 2) {
    throw inputError(
      input,
      value,
      `it names ${names.length} environments, but a blue/green pair is ${PAIR_FORM}.`
    )
  }
  for (const name of names) checkName(name, input, value)
  if (names.length === 2) {
    if (names[0].toLowerCase() === names[1].toLowerCase()) {
      throw inputError(
        input,
        value,
        `it names "${names[0]}" twice: a pair is two different environments. Give the second one, or one name only (its twin is then ${names[0]}${TWIN_SUFFIX}).`
      )
    }
    return { names: [names[0], names[1]], twinDerived: false }
  }
  const twin = `${names[0]}${TWIN_SUFFIX}`
  if (twin.length > 40) {
    throw new UserError(
      `Input '${input}' is "${value}": its twin would be "${twin}", longer than Beanstalk's 40 characters. Name both environments of the pair, separated by a space.`,
      { input }
    )
  }
  return { names: [names[0], twin], twinDerived: true }
}

/**
 * Normalises `live-cname`: a prefix (`brilliancrm`) or a full host (`brilliancrm.eu-central-1.elasticbeanstalk.com`,
 * also with `http(s)://` or a trailing slash, as copied from the console). The host's region must be `region`.
 */
export function parseLiveCname(value: string, region: string, input = 'live-cname'): LiveCname {
  const text = value
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
  const example = `brilliancrm or brilliancrm.${region}.elasticbeanstalk.com`
  if (text === '') {
    throw inputError(
      input,
      value,
      `it is required with strategy blue-green: the CNAME that serves production (the one CloudFront's origin points at), such as ${example}.`
    )
  }
  const labels = text.split('.')
  if (labels.length === 1) return { prefix: checkPrefix(text, value, input), host: hostOf(text, region) }
  if (!text.endsWith('.elasticbeanstalk.com')) {
    throw inputError(
      input,
      value,
      `expected an Elastic Beanstalk CNAME (${example}), not another host name: a custom domain points at CloudFront, whose origin is the environment's CNAME.`
    )
  }
  // <prefix>.<region>.elasticbeanstalk.com, or <name>.<token>.<region>.elasticbeanstalk.com (made without a prefix)
  const hostRegion = labels[labels.length - 3]
  if ((labels.length !== 4 && labels.length !== 5) || !REGION.test(hostRegion)) {
    throw inputError(input, value, `expected a prefix or a host name such as ${example}.`)
  }
  if (hostRegion !== region) {
    throw inputError(
      input,
      value,
      `it is a CNAME in ${hostRegion}, but the environments are looked up in ${region}: set 'region' to ${hostRegion}, or give the CNAME of ${region}.`
    )
  }
  const prefix = labels.slice(0, -3).map(label => checkPrefix(label, value, input, labels.length === 5))
  return { prefix: prefix.join('.'), host: text }
}

function checkPrefix(prefix: string, value: string, input: string, generated = false): string {
  // a generated CNAME's labels (the environment's name, a token) are DNS labels, not prefixes
  if (!(generated ? /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/ : PREFIX).test(prefix)) {
    throw inputError(input, value, `"${prefix}" is not a CNAME prefix: expected ${PREFIX_FORM}.`)
  }
  return prefix
}

export function hostOf(prefix: string, region: string): string {
  return `${prefix.toLowerCase()}.${region}.elasticbeanstalk.com`
}

/** True when an environment's CNAME is `live` (case-insensitive; the host also matches without its region, as environments made before 2016 have it). */
export function holdsCname(cname: string | undefined, live: LiveCname): boolean {
  if (cname === undefined) return false
  const host = cname.toLowerCase().replace(/\.$/, '')
  return host === live.host || host === `${live.prefix}.elasticbeanstalk.com`
}

const GONE = new Set(['Terminated'])

/**
 * Decides which of the pair is live (holds `live-cname`) and which idle, from the environments DescribeEnvironments
 * answered (any of the application's; terminated ones count as missing). Throws a UserError when neither holds it.
 */
export function resolvePair<E extends PairEnvironment>(
  pair: EnvironmentPair,
  live: LiveCname,
  environments: readonly E[],
  input = 'live-cname'
): ResolvedPair<E> {
  const present = environments.filter(e => !GONE.has(e.status ?? ''))
  const find = (name: string) => present.find(e => e.name.toLowerCase() === name.toLowerCase())
  const [a, b] = pair.names.map(find)
  const holder = [a, b].findIndex(e => e !== undefined && holdsCname(e.cname, live))
  if (holder !== -1) {
    const liveEnv = (holder === 0 ? a : b) as E
    return { live: liveEnv, idle: holder === 0 ? b : a, idleName: pair.names[1 - holder] }
  }
  const shown = pair.names.map((name, i) => {
    const env = [a, b][i]
    return env ? `${env.name} (${env.cname ?? 'no CNAME'})` : `${name} (does not exist)`
  })
  const elsewhere = present.find(e => holdsCname(e.cname, live))
  const why = elsewhere
    ? `It is held by ${elsewhere.name}, which is not one of the pair: name it in 'environment-name'.`
    : a === undefined && b === undefined
      ? "Neither environment exists: create the live one first (blue/green releases into a pair whose live environment exists), or correct 'environment-name'."
      : `Set '${input}' to the CNAME of the live one (such as ${(a ?? b)?.cname ?? 'brilliancrm.<region>.elasticbeanstalk.com'}), or correct 'environment-name'.`
  const atFault = elsewhere || (a === undefined && b === undefined) ? 'environment-name' : input
  throw new UserError(`Neither environment of the pair holds ${live.host}: ${shown.join(' and ')}. ${why}`, {
    input: atFault,
    title: 'Live environment not found'
  })
}
