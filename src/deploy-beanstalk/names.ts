/**
 * Name suggestions for "no such application/environment" errors. Pure: the look-up gathers the names, these
 * functions pick the closest and word the message.
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
 * The closest name to `wanted`: an exact case-insensitive match first, then the smallest edit distance
 * (case-insensitive) within a third of the name's length (at least 2), then a name that contains the other
 * (e.g. `BrillianCRM` for `BrillianCRM-env`). Undefined when nothing is close.
 */
export function closestName(wanted: string, names: readonly string[]): string | undefined {
  const lower = wanted.toLowerCase()
  const caseOnly = names.find(name => name.toLowerCase() === lower)
  if (caseOnly !== undefined) return caseOnly
  const limit = Math.max(2, Math.floor(wanted.length / 3))
  let best: { name: string; distance: number } | undefined
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase())
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance }
  }
  if (best) return best.name
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

/** What a look-up found about a name that is not where the user said. */
export interface NameFinding {
  kind: 'application' | 'environment'
  wanted: string
  region: string
  /** The names of that kind that exist (for an environment: in the application; else in the region). */
  existing: string[]
  /** For an environment: the application it belongs to instead, when it exists under another one. */
  otherApplication?: string
  /** Other regions where the name exists as given. */
  otherRegions: string[]
  /** The application, for environment findings. */
  application?: string
}

/** The message for a name that does not exist: what exists, the closest, and where else it is. */
export function describeMissingName(finding: NameFinding): string {
  const { kind, wanted, region } = finding
  const input = kind === 'application' ? 'application-name' : 'environment-name'
  const where =
    kind === 'application' ? `in ${region}` : `in application "${finding.application}" in ${region}`
  const parts: string[] = []
  if (finding.otherApplication !== undefined) {
    parts.push(
      `Environment "${wanted}" belongs to application "${finding.otherApplication}", not "${finding.application}": set application-name to "${finding.otherApplication}" (or pick an environment of "${finding.application}").`
    )
  } else {
    parts.push(`No ${kind} named "${wanted}" exists ${where} (names are case-sensitive).`)
    const closest = closestName(wanted, finding.existing)
    if (closest !== undefined) parts.push(`Did you mean "${closest}"? Set ${input} to "${closest}".`)
  }
  if (finding.otherRegions.length > 0) {
    const regions = finding.otherRegions.join(', ')
    parts.push(
      `"${wanted}" exists in ${regions}: set region to ${finding.otherRegions[0]} (or AWS_REGION) to deploy there.`
    )
  }
  const plural = kind === 'application' ? 'Applications' : 'Environments'
  parts.push(`${plural} ${where}: ${listNames(finding.existing)}.`)
  return parts.join(' ')
}
