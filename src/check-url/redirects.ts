import { isLoopbackHost } from '../common/url.js'
import { displayUrl } from './request-url.js'

/**
 * Which redirects a probe follows (it follows them by hand, one hop at a time, so each is checked and shown):
 * to HTTPS; to plain HTTP only within this machine; never a loop or a chain longer than MAX_REDIRECTS. Pure.
 */

/** The most redirects followed before the chain counts as a loop (browsers allow 20, curl 50; sites use 1–3). */
export const MAX_REDIRECTS = 10

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
