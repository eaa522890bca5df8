/**
 * The URL a probe requests and the URL users see: each request carries a unique cache-busting query parameter so
 * no cache on the way (CloudFront's included) can answer it, and it is never shown. Pure.
 */

/** The query parameter that makes each request unique, so no cache on the way can answer it. */
export const CACHE_BUSTER = 'imbit-nocache'

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
