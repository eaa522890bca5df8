/**
 * One probe of a URL: a GET past CloudFront's cache, redirects followed by hand (so each hop is checked and
 * shown), a time limit for the whole request and a cap on the body read. The network is Node's own fetch
 * (undici); the decisions around it (the request, each redirect, what a network error means) are pure
 * functions exported for the unit tests.
 */
import { formatDuration } from '../common/format.js'
import { isLoopbackHost } from '../common/url.js'
import type { Disposition } from './pacing.js'

/** The query parameter that makes each request unique, so no cache on the way can answer it. */
export const CACHE_BUSTER = 'imbit-nocache'

/** The most redirects followed before the chain counts as a loop (browsers allow 20, curl 50; sites use 1–3). */
export const MAX_REDIRECTS = 10

/** How much of a body is read (for `expect-text` and the excerpt); the rest is left unread. */
export const BODY_LIMIT_BYTES = 1024 * 1024

export const USER_AGENT = 'imbit-actions-check-url/1 (+https://github.com/imbit/actions)'

export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-cache',
  pragma: 'no-cache',
  accept: '*/*',
  'user-agent': USER_AGENT
}

/** One redirect that was followed. */
export interface Hop {
  url: string
  status: number
}

export interface Answer {
  kind: 'answer'
  /** The URL that gave this answer (after redirects; without the cache-buster). */
  url: string
  status: number
  statusText: string
  /** Lower-cased names. */
  headers: Record<string, string>
  body: string
  /** The body was longer than BODY_LIMIT_BYTES. */
  truncated: boolean
  redirects: Hop[]
  /** A redirect that was not followed, and why (follow-redirects: false, or the redirect is refused). */
  unfollowed?: { location: string; reason: string; fatal: boolean }
}

export interface NoAnswer {
  kind: 'no-answer'
  /** The URL that did not answer (a redirect target, when the chain got that far). */
  url: string
  /** In plain words: "connection refused by HOST", "the request timed out after 10s"… */
  reason: string
  /** The system or undici code, when there is one (ECONNREFUSED, CERT_HAS_EXPIRED…). */
  code?: string
  timedOut: boolean
  /** Waiting cannot change it. */
  fatal: boolean
  redirects: Hop[]
}

export type Outcome = Answer | NoAnswer

export interface ProbeOptions {
  followRedirects: boolean
  /** For the whole probe: every hop, headers and body. */
  timeoutMs: number
  /** A value unique to this probe, for the cache-busting query parameter. */
  bust: string
}

/** Probes one URL. Tests inject their own; the action uses `fetchProbe`. */
export type Probe = (url: string, options: ProbeOptions) => Promise<Outcome>

/** The URL actually requested: the cache-buster added (replacing one already there). */
export function bustedUrl(url: string, bust: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set(CACHE_BUSTER, bust)
  return parsed.href
}

/** The URL as users should see it: without our cache-buster, without a fragment. */
export function displayUrl(url: string): string {
  const parsed = new URL(url)
  parsed.searchParams.delete(CACHE_BUSTER)
  parsed.hash = ''
  // searchParams.delete leaves a bare "?" when it removed the only parameter
  return parsed.href.replace(/\?$/, '')
}

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/**
 * Where redirects from `url` may lead, in words (the plan's line): to HTTPS; to plain HTTP only from a URL on
 * this machine to another one on it (decideRedirect).
 */
export function redirectRule(url: string): string {
  return isLoopbackHost(new URL(url).hostname)
    ? 'to HTTPS, or to plain HTTP on this machine'
    : 'to HTTPS only'
}

export type RedirectDecision =
  { follow: true; url: string } | { follow: false; fatal: boolean; reason: string; location: string }

/**
 * Whether to follow a redirect from `from` (a 3xx with `location`), given the hops already followed.
 * Refused whatever `follow-redirects` says: a downgrade to plain HTTP (other than loopback), a scheme that is
 * not HTTP, a loop, a chain longer than MAX_REDIRECTS.
 */
export function decideRedirect(
  from: string,
  location: string,
  state: { followRedirects: boolean; visited: string[] }
): RedirectDecision {
  let target: URL
  try {
    target = new URL(location, from)
  } catch {
    return { follow: false, fatal: true, reason: `the Location header is not a URL`, location }
  }
  target.hash = ''
  const shown = displayUrl(target.href)
  if (!state.followRedirects) {
    return { follow: false, fatal: false, reason: 'follow-redirects is false', location: shown }
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return {
      follow: false,
      fatal: true,
      reason: `it leads to a ${target.protocol} URL, not HTTP(S)`,
      location: shown
    }
  }
  if (
    target.protocol === 'http:' &&
    !(isLoopbackHost(target.hostname) && isLoopbackHost(new URL(from).hostname))
  ) {
    return {
      follow: false,
      fatal: true,
      reason:
        'it leads to plain HTTP; a site behind CloudFront should redirect HTTP to HTTPS, not the other way',
      location: shown
    }
  }
  if (state.visited.includes(shown)) {
    return {
      follow: false,
      fatal: true,
      reason: 'it leads back to a URL already visited (a redirect loop)',
      location: shown
    }
  }
  if (state.visited.length > MAX_REDIRECTS) {
    return {
      follow: false,
      fatal: true,
      reason: `more than ${MAX_REDIRECTS} redirects in a row`,
      location: shown
    }
  }
  return { follow: true, url: target.href }
}

const TLS_CODES =
  /^(CERT_|ERR_TLS_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_|HOSTNAME_MISMATCH)/

/**
 * A network error in plain words, and whether waiting can help. fetch wraps the system error as its `cause`
 * ("fetch failed" says nothing); an aborted request is our time limit.
 */
export function describeNetworkError(
  error: unknown,
  context: { url: string; timeoutMs: number; timedOut: boolean }
): Pick<NoAnswer, 'reason' | 'code' | 'timedOut' | 'fatal'> {
  const host = safeHost(context.url)
  if (context.timedOut) {
    return {
      reason: `the request timed out after ${formatDuration(context.timeoutMs)}`,
      timedOut: true,
      fatal: false
    }
  }
  const cause = errorChain(error).find(e => typeof (e as { code?: unknown }).code === 'string') as
    (Error & { code: string }) | undefined
  const code = cause?.code
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
  if (code === undefined) return { reason: message, timedOut: false, fatal: false }
  if (TLS_CODES.test(code)) {
    return {
      reason: `the TLS certificate of ${host} is not valid: ${message}`,
      code,
      timedOut: false,
      fatal: true
    }
  }
  const plain: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${host} (nothing listens there yet)`,
    ECONNRESET: `the connection to ${host} was reset`,
    EPIPE: `the connection to ${host} was closed`,
    ENOTFOUND: `the name ${host} does not resolve (DNS)`,
    EAI_AGAIN: `the name ${host} could not be resolved just now (DNS)`,
    EHOSTUNREACH: `${host} is unreachable`,
    ENETUNREACH: `the network to ${host} is unreachable`,
    ETIMEDOUT: `the connection to ${host} timed out`,
    UND_ERR_CONNECT_TIMEOUT: `the connection to ${host} timed out`,
    UND_ERR_SOCKET: `the connection to ${host} was closed before the answer was complete`,
    UND_ERR_HEADERS_TIMEOUT: `${host} accepted the connection but sent no headers`,
    UND_ERR_BODY_TIMEOUT: `${host} stopped sending the body`
  }
  return { reason: plain[code] ?? `${message} (${code})`, code, timedOut: false, fatal: false }
}

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 5;) {
    chain.push(e)
    e = (e as { cause?: unknown }).cause
  }
  return chain
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** How an outcome bears on the next probe, given whether the answer missed an expectation. */
export function dispositionOf(outcome: Outcome, missed: boolean): Disposition {
  if (outcome.kind === 'no-answer') return outcome.fatal ? 'fatal' : 'not-yet'
  if (outcome.unfollowed?.fatal) return 'fatal'
  if (!missed) return 'pass'
  if (outcome.status >= 500 || outcome.status === 429 || outcome.status === 408) return 'not-yet'
  return 'mismatch'
}

/** Reads at most `limit` bytes of a body, then stops (the rest is never downloaded further). */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (body === null) return { bytes: new Uint8Array(0), truncated: false }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size))
      size = limit
      truncated = true
      await reader.cancel().catch(() => undefined)
      break
    }
    chunks.push(value)
    size += value.byteLength
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return { bytes, truncated }
}

/** Decodes a body in the charset its Content-Type names (UTF-8 when none or unknown). */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1]
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes)
  } catch {
    return new TextDecoder('utf-8').decode(bytes)
  }
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {}
  headers.forEach((value, name) => (record[name.toLowerCase()] = value))
  return record
}

/** The real probe: Node's fetch, redirects by hand, one AbortSignal for the whole probe. */
export function fetchProbe(http: typeof fetch = fetch): Probe {
  return async (url, options) => {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, options.timeoutMs)
    const redirects: Hop[] = []
    let current = url
    try {
      for (;;) {
        let response: Response
        try {
          response = await http(redirects.length === 0 ? bustedUrl(current, options.bust) : current, {
            method: 'GET',
            headers: REQUEST_HEADERS,
            redirect: 'manual',
            signal: controller.signal
          })
        } catch (error) {
          return noAnswer(error, current, redirects, options, timedOut)
        }
        const headers = headerRecord(response.headers)
        const location = headers.location
        let unfollowed: Answer['unfollowed']
        if (REDIRECT_STATUSES.has(response.status) && location !== undefined) {
          const decision = decideRedirect(current, location, {
            followRedirects: options.followRedirects,
            visited: [...redirects.map(hop => hop.url), displayUrl(current)]
          })
          if (decision.follow) {
            await response.body?.cancel().catch(() => undefined)
            redirects.push({ url: displayUrl(current), status: response.status })
            current = decision.url
            continue
          }
          unfollowed = { location: decision.location, reason: decision.reason, fatal: decision.fatal }
        }
        let read: { bytes: Uint8Array; truncated: boolean }
        try {
          read = await readLimited(response.body, BODY_LIMIT_BYTES)
        } catch (error) {
          return noAnswer(error, current, redirects, options, timedOut)
        }
        return {
          kind: 'answer',
          url: displayUrl(current),
          status: response.status,
          statusText: response.statusText,
          headers,
          body: decodeBody(read.bytes, headers['content-type']),
          truncated: read.truncated,
          redirects,
          ...(unfollowed ? { unfollowed } : {})
        }
      }
    } finally {
      clearTimeout(timer)
    }
  }
}

function noAnswer(
  error: unknown,
  url: string,
  redirects: Hop[],
  options: ProbeOptions,
  timedOut: boolean
): NoAnswer {
  return {
    kind: 'no-answer',
    url: displayUrl(url),
    redirects,
    ...describeNetworkError(error, { url, timeoutMs: options.timeoutMs, timedOut })
  }
}
