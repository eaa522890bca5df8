import { UserError } from '../common/errors.js'
import { nearest } from '../common/suggest.js'
import type { DistributionSummary } from './cloudfront.js'

/**
 * Finding a distribution by domain: pure matching over the listed distributions, and the message when
 * none matches (the distributions with their aliases, the closest name suggested).
 */

export interface DistributionMatch {
  distribution: DistributionSummary
  /** The alias (or cloudfront.net domain) that matched. */
  matchedBy: string
}

/** True when a wildcard alias such as `*.example.com` covers `host` (one label deep, as CloudFront does). */
function wildcardCovers(alias: string, host: string): boolean {
  if (!alias.startsWith('*.')) return false
  const rest = alias.slice(1) // ".example.com"
  if (!host.endsWith(rest)) return false
  const label = host.slice(0, -rest.length)
  return label !== '' && !label.includes('.')
}

/**
 * The distribution serving `domain` (already normalised: lower case, ASCII): an exact alternate domain name
 * first, else its cloudfront.net domain name, else a wildcard alias covering it.
 */
export function findDistribution(
  domain: string,
  distributions: readonly DistributionSummary[]
): DistributionMatch | undefined {
  for (const distribution of distributions) {
    if (distribution.aliases.includes(domain)) return { distribution, matchedBy: domain }
  }
  for (const distribution of distributions) {
    if (distribution.domainName.toLowerCase() === domain) return { distribution, matchedBy: domain }
  }
  for (const distribution of distributions) {
    const alias = distribution.aliases.find(a => wildcardCovers(a, domain))
    if (alias) return { distribution, matchedBy: alias }
  }
  return undefined
}

/**
 * The alias closest to `domain`: its `www.` twin (or the name without `www.`) first, else the nearest by edit
 * distance when it is near enough to be a typo.
 */
export function closestAlias(
  domain: string,
  distributions: readonly DistributionSummary[]
): { alias: string; id: string } | undefined {
  const candidates = distributions.flatMap(d => d.aliases.map(alias => ({ alias, id: d.id })))
  const twin = domain.startsWith('www.') ? domain.slice(4) : `www.${domain}`
  const exactTwin = candidates.find(c => c.alias === twin)
  if (exactTwin) return exactTwin
  const bare = (name: string) => name.replace(/^www\./, '')
  const limit = Math.max(2, Math.floor(bare(domain).length / 4))
  return nearest(bare(domain), candidates, limit, candidate => bare(candidate.alias))
}

/** One line per distribution: `E2ABC… brilliancrm.com, www.brilliancrm.com (d1234.cloudfront.net)`. */
export function describeDistributions(distributions: readonly DistributionSummary[], limit = 25): string {
  const lines = distributions.slice(0, limit).map(d => {
    const aliases = d.aliases.length > 0 ? d.aliases.join(', ') : 'no alternate domain names'
    const extra = [d.domainName, d.enabled === false ? 'disabled' : '', d.comment ? `"${d.comment}"` : '']
      .filter(Boolean)
      .join(', ')
    return `  ${d.id}: ${aliases}${extra ? ` (${extra})` : ''}`
  })
  if (distributions.length > limit) lines.push(`  … and ${distributions.length - limit} more`)
  return lines.join('\n')
}

/** The error when no distribution has `domain` as an alternate domain name. */
export function noDistributionError(
  domain: string,
  distributions: readonly DistributionSummary[]
): UserError {
  if (distributions.length === 0) {
    return new UserError(
      `Input 'domain' is "${domain}", but this AWS account has no CloudFront distributions at all (ListDistributions returned none). Check that the role this job assumed belongs to the account that owns the distribution.`,
      { input: 'domain' }
    )
  }
  const closest = closestAlias(domain, distributions)
  const suggestion = closest ? ` Did you mean "${closest.alias}" (${closest.id})?` : ''
  return new UserError(
    `Input 'domain' is "${domain}", but no CloudFront distribution of this account has it as an alternate domain name.${suggestion}\nDistributions (${distributions.length}):\n${describeDistributions(distributions)}`,
    { input: 'domain' }
  )
}

/**
 * The NoSuchDistribution message with the account's distributions added, and the id closest to the one given
 * (a typo of one or two characters).
 */
export function unknownIdError(
  error: UserError,
  distributionId: string,
  distributions: readonly DistributionSummary[]
): UserError {
  if (distributions.length === 0) {
    return new UserError(`${error.message} This account has no CloudFront distributions at all.`, {
      input: error.input,
      title: error.title,
      cause: error.cause
    })
  }
  const closest = nearest(distributionId, distributions, 2, d => d.id)
  const suggestion = closest ? ` Did you mean "${closest.id}"?` : ''
  return new UserError(
    `${error.message}${suggestion}\nDistributions (${distributions.length}):\n${describeDistributions(distributions)}`,
    { input: error.input, title: error.title, cause: error.cause }
  )
}
