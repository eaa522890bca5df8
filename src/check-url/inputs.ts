import { inputError } from '../common/errors.js'
import { parseBoolean, parseTimeout, readRawInputs, type RawInputsOf } from '../common/inputs.js'
import {
  parseHeaderExpectations,
  parseStatusRanges,
  parseTextMatcher,
  type Expectations
} from './expectations.js'
import { isBeanstalkHost, isLoopbackHost } from '../common/url.js'
import { CACHE_BUSTER, displayUrl } from './request-url.js'

/** Defaults, as declared in actions/check-url/action.yml (a test keeps the two in step). */
export const DEFAULTS = {
  'expect-status': '200-399',
  timeout: '3m',
  'follow-redirects': 'true',
  'allow-http': 'false'
} as const

export const INPUT_NAMES = [
  'url',
  'expect-status',
  'expect-text',
  'expect-header',
  'timeout',
  'follow-redirects',
  'allow-http'
] as const
export type RawInputs = RawInputsOf<typeof INPUT_NAMES>

export interface Inputs {
  /** Normalised (no fragment), in the order given, without duplicates. */
  urls: string[]
  expectations: Expectations
  timeoutMs: number
  followRedirects: boolean
}

/** More would be a load test, not a check; split them over steps. */
export const MAX_URLS = 20

const URL_EXAMPLE = 'https://brilliancrm.com/health'

/**
 * Parses one line of `url`: an absolute http(s) URL; plain HTTP only to a loopback host, or with `allowHttp` to an
 * Elastic Beanstalk environment's own host (`*.elasticbeanstalk.com`); no credentials.
 */
export function parseUrl(value: string, allowHttp = false): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    const hint = /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(value) ? ` Did you mean https://${value}?` : ''
    throw inputError('url', value, `expected an absolute URL such as ${URL_EXAMPLE}.${hint}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw inputError('url', value, `expected an https:// URL such as ${URL_EXAMPLE}.`)
  }
  const beanstalk = isBeanstalkHost(url.hostname)
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !(allowHttp && beanstalk)) {
    const https = new URL(url.href)
    https.protocol = 'https:'
    if (https.port === '80') https.port = ''
    throw inputError(
      'url',
      value,
      beanstalk
        ? `plain http:// to an Elastic Beanstalk environment's own URL needs allow-http: true (environments answer HTTP on port 80; CloudFront speaks HTTP to them). Or check the site over HTTPS.`
        : `plain http:// is only checked on this machine (127.0.0.1, localhost, [::1])${allowHttp ? ' and, with allow-http, on an Elastic Beanstalk environment host (*.elasticbeanstalk.com)' : ''}; a public site is checked over HTTPS, as its users reach it: ${displayUrl(https.href)}`
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw inputError(
      'url',
      `${url.protocol}//…@${url.host}`,
      'it carries credentials (user:password@): no secrets in inputs. Check a page that answers without them, such as a health endpoint.'
    )
  }
  if (url.searchParams.has(CACHE_BUSTER)) {
    throw inputError(
      'url',
      value,
      `the query parameter ${CACHE_BUSTER} is the one this action adds itself: remove it.`
    )
  }
  return displayUrl(url.href)
}

/** Parses `url`: one URL a line. */
export function parseUrls(value: string, allowHttp = false): string[] {
  const lines = value
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))
  if (lines.length === 0)
    throw inputError('url', '', `it is required: the page to check, such as ${URL_EXAMPLE}.`)
  const urls = [...new Set(lines.map(line => parseUrl(line, allowHttp)))]
  if (urls.length > MAX_URLS) {
    throw inputError(
      'url',
      `${urls.length} URLs`,
      `expected at most ${MAX_URLS}: a check after a deploy needs a few pages, not a crawl.`
    )
  }
  return urls
}

/** Parses and checks every input; throws a UserError on the first problem. Pure: no I/O. */
export function parseInputs(raw: RawInputs): Inputs {
  const allowHttp = parseBoolean('allow-http', raw['allow-http'].trim(), false)
  const urls = parseUrls(raw.url, allowHttp)
  const status = parseStatusRanges('expect-status', raw['expect-status'].trim() || DEFAULTS['expect-status'])
  const text = raw['expect-text'].trim()
  const expectations: Expectations = {
    status,
    text: text === '' ? undefined : parseTextMatcher('expect-text', text, { caseInsensitive: false }),
    headers: parseHeaderExpectations('expect-header', raw['expect-header'])
  }
  const timeoutMs = parseTimeout(raw.timeout.trim(), DEFAULTS.timeout)
  const followRedirects = parseBoolean(
    'follow-redirects',
    raw['follow-redirects'].trim(),
    DEFAULTS['follow-redirects'] === 'true'
  )
  return { urls, expectations, timeoutMs, followRedirects }
}

/** Reads the action's inputs from the environment (INPUT_*), then parses them. */
export function readInputs(): Inputs {
  const raw = readRawInputs(INPUT_NAMES)
  return parseInputs(raw)
}
