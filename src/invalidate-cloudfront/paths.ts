import { UserError, inputError } from '../common/errors.js'

/**
 * Invalidation paths: pure rules, no I/O.
 *
 * CloudFront matches an invalidation path against the cached object's path: exactly, or by prefix when the
 * path ends in `*`. Its rules (CloudFront Developer Guide, "Invalidation paths"): each path starts with `/`;
 * `*` may only be the last character; non-ASCII characters and the characters RFC 1738 calls unsafe are
 * percent-encoded (UTF-8), and nothing else is, or the path no longer matches what was cached. So `*` is never
 * encoded (an encoded `%2A` is a literal asterisk, and the wildcard silently stops working), an existing `%XX`
 * is kept as it is, and `?` (a query string) is kept.
 */

/** The most paths one invalidation batch may hold. */
export const MAX_PATHS = 3000
/** The most wildcard paths (ending in `*`) one invalidation batch may hold. */
export const MAX_WILDCARD_PATHS = 15
/** The longest path CloudFront accepts, in characters, after encoding. */
export const MAX_PATH_LENGTH = 4000

/** RFC 1738 section 2.2 "unsafe" characters (`%` is handled on its own: it may start an existing escape). */
const UNSAFE = new Set([' ', '<', '>', '"', '#', '{', '}', '|', '\\', '^', '~', '[', ']', '`'])

function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')]
    .map(byte => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('')
}

/**
 * Percent-encodes the non-ASCII, control and RFC 1738 unsafe characters of one path. Never `*`, never an
 * existing `%XX` escape (a `%` not followed by two hex digits becomes `%25`), nothing else.
 */
export function encodePath(path: string): string {
  let out = ''
  for (let i = 0; i < path.length;) {
    const codePoint = path.codePointAt(i) ?? 0
    const char = String.fromCodePoint(codePoint)
    i += char.length
    if (char === '%') {
      out += /^[0-9A-Fa-f]{2}$/.test(path.slice(i, i + 2)) ? '%' : '%25'
    } else if (codePoint < 0x20 || codePoint >= 0x7f || UNSAFE.has(char)) {
      out += percentEncode(char)
    } else {
      out += char
    }
  }
  return out
}

export function isWildcard(path: string): boolean {
  return path.endsWith('*')
}

/** Checks one raw (trimmed, not yet encoded) path; throws a UserError naming the input and the fix. */
export function checkPath(path: string, input = 'paths'): void {
  if (!path.startsWith('/')) {
    const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(path)
    const suggestion = url ? (url[1] ?? '/') : `/${path.replace(/^\.?\/*/, '')}`
    throw inputError(
      input,
      path,
      `every path must start with "/" (it is relative to the distribution's root, without the domain): did you mean "${suggestion}"?`
    )
  }
  const star = path.indexOf('*')
  if (star !== -1 && star !== path.length - 1) {
    const prefix = path.slice(0, star)
    throw inputError(
      input,
      path,
      `"*" may only be the last character of a path (CloudFront invalidates by prefix, e.g. /images/* or /images/photo*); use "${prefix}*" to invalidate everything that starts with "${prefix}".`
    )
  }
}

export interface PathPlan {
  /** The paths to send: checked, encoded, de-duplicated, in the order given. */
  paths: string[]
  /** How many of them end in `*`. */
  wildcards: number
  /** Paths left out because they were given twice (after encoding). */
  duplicates: string[]
  /** Paths left out because a wildcard path in the same batch already covers them. */
  covered: Array<{ path: string; by: string }>
}

/**
 * Turns the listed paths into the batch to send: each checked and encoded, duplicates dropped, paths already
 * covered by a wildcard of the same batch dropped (`/*` covers everything), then CloudFront's per-batch limits
 * checked. Throws a UserError (input `paths`) on the first problem; nothing has been sent at that point.
 */
export function planPaths(items: readonly string[], input = 'paths'): PathPlan {
  if (items.length === 0) {
    throw inputError(input, '', 'no paths were given; leave the input out to invalidate everything ("/*").')
  }
  const encoded: string[] = []
  const duplicates: string[] = []
  const seen = new Set<string>()
  for (const item of items) {
    checkPath(item, input)
    const path = encodePath(item)
    if (path.length > MAX_PATH_LENGTH) {
      throw inputError(
        input,
        path,
        `this path is ${path.length.toLocaleString('en-US')} characters long once encoded; CloudFront accepts at most ${MAX_PATH_LENGTH.toLocaleString('en-US')}. Use a shorter path ending in "*".`
      )
    }
    if (seen.has(path)) {
      duplicates.push(path)
      continue
    }
    seen.add(path)
    encoded.push(path)
  }

  const prefixes = encoded.filter(isWildcard).map(path => path.slice(0, -1))
  const covered: PathPlan['covered'] = []
  const paths = encoded.filter(path => {
    const by = prefixes.find(prefix => path !== `${prefix}*` && path.startsWith(prefix))
    if (by === undefined) return true
    covered.push({ path, by: `${by}*` })
    return false
  })

  const wildcards = paths.filter(isWildcard).length
  if (paths.length > MAX_PATHS) {
    throw new UserError(
      `Input 'paths' lists ${paths.length.toLocaleString('en-US')} distinct paths; CloudFront accepts at most ${MAX_PATHS.toLocaleString('en-US')} in one invalidation. Use wildcards (e.g. /assets/*) to cover many files with one path.`,
      { input }
    )
  }
  if (wildcards > MAX_WILDCARD_PATHS) {
    throw new UserError(
      `Input 'paths' has ${wildcards} wildcard paths (ending in "*"); CloudFront accepts at most ${MAX_WILDCARD_PATHS} in one invalidation. Use fewer, broader wildcards (e.g. /assets/* instead of /assets/js/* and /assets/css/*), or "/*" for everything.`,
      { input }
    )
  }
  return { paths, wildcards, duplicates, covered }
}
