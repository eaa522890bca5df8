/**
 * One probe of a URL: a GET past CloudFront's cache, redirects followed by hand (so each hop is checked and
 * shown), a time limit for the whole request and a cap on the body read. The network is Node's own fetch
 * (undici); the decisions around it are pure functions of their own: the URL requested and shown
 * (request-url.ts), each redirect (redirects.ts), what a network error means (network-errors.ts).
 */
import { describeNetworkError } from './network-errors.js'
import type { Disposition } from './pacing.js'
import { decideRedirect, REDIRECT_STATUSES } from './redirects.js'
import { bustedUrl, displayUrl } from './request-url.js'

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
