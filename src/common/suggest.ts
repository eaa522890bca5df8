/**
 * "Did you mean …?": the closest of the names that exist to the one given, for the messages about names that do
 * not exist (Beanstalk applications and environments, CloudFront aliases and ids). Pure.
 */

/** Levenshtein distance (insert, delete, substitute: cost 1 each). */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]
    previous[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return previous[b.length]
}

/**
 * The candidate nearest to `wanted` by edit distance (compared through `key`), when within `maxDistance`; the
 * first of equals wins.
 */
export function nearest<T>(
  wanted: string,
  candidates: readonly T[],
  maxDistance: number,
  key: (candidate: T) => string
): T | undefined {
  let best: { candidate: T; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(wanted, key(candidate))
    if (distance <= maxDistance && (best === undefined || distance < best.distance))
      best = { candidate, distance }
  }
  return best?.candidate
}

/**
 * The closest name to `wanted`: an exact case-insensitive match first, then the smallest edit distance
 * (case-insensitive) within a third of the name's length (at least 2), then a name that contains the other
 * (e.g. `BrillianCRM` for `BrillianCRM-env`). Undefined when nothing is close.
 */
export function closestName(wanted: string, names: readonly string[]): string | undefined {
  const lower = wanted.toLowerCase()
  const caseOnly = names.find(name => name.toLowerCase() === lower)
  if (caseOnly !== undefined) return caseOnly
  const near = nearest(lower, names, Math.max(2, Math.floor(wanted.length / 3)), name => name.toLowerCase())
  if (near !== undefined) return near
  return names.find(name => {
    const other = name.toLowerCase()
    return other.length >= 3 && lower.length >= 3 && (other.includes(lower) || lower.includes(other))
  })
}

/** `"a", "b" and 3 more`, sorted, for messages. */
export function listNames(names: readonly string[], max = 10): string {
  if (names.length === 0) return '(none)'
  const sorted = [...names].sort((x, y) => x.localeCompare(y))
  const shown = sorted.slice(0, max).map(name => `"${name}"`)
  const more = sorted.length > max ? ` and ${sorted.length - max} more` : ''
  return shown.join(', ') + more
}
