import { UserError } from '../../common/errors.js'
import { closestName, listNames } from '../../common/suggest.js'
import type { BeanstalkGateway, EnvironmentInfo, VersionInfo } from '../aws/beanstalk.js'
import type { RequiredHealth } from '../inputs.js'
import { meetsHealth } from '../update/decide.js'
import { verifyPromotedBundle, type BundleReader } from './integrity.js'

/**
 * Promotion (`from-environment`): deploy the version another environment of the same application runs now,
 * the exact build that ran there (no bundle, no upload: the redeploy path). The source is looked up read-only
 * and must be Ready and at least as healthy as `required-health`; anything else is an error before any change.
 */

export interface Promotion {
  /** The source environment as the look-up found it. */
  source: EnvironmentInfo
  label: string
  version: VersionInfo
}

const GONE = new Set(['Terminated', 'Terminating'])

/** Green passes Green; Yellow passes Yellow and Green: the health rule of the update (update/decide.ts). */
export const healthyEnough = meetsHealth

/** Why the source environment cannot be promoted from, or undefined when it can. Pure. */
export function promotionProblem(source: EnvironmentInfo, required: RequiredHealth): string | undefined {
  const name = `Environment "${source.name}"`
  if (source.status !== 'Ready') {
    return `${name} is ${source.status}, not Ready: what it runs is not settled. Promote once its update is over (and healthy).`
  }
  if (!source.versionLabel) return `${name} runs no application version: there is nothing to promote.`
  if (!healthyEnough(source.health, required)) {
    const accepted = required === 'Green' ? 'Green' : 'Yellow or Green'
    return `${name} runs ${source.versionLabel} with health ${source.health}, and required-health asks for ${accepted}: only a version that runs healthy is promoted. Fix ${source.name} first${required === 'Green' && source.health === 'Yellow' ? ', or set required-health: Yellow to accept Yellow' : ''}.`
  }
  return undefined
}

/** The version `from` runs, checked; a UserError naming `from-environment` otherwise. */
export async function findPromotion(
  beanstalk: BeanstalkGateway,
  ctx: {
    application: string
    region: string
    from: string
    requiredHealth: RequiredHealth
    /** `version-label` with `from-environment`: the label the source must run. */
    expectedLabel?: string
    /** S3, to check the version's bundle against the sha256 recorded when it was created (integrity.ts). */
    storage: () => BundleReader | Promise<BundleReader>
  }
): Promise<Promotion> {
  const live = (await beanstalk.environments({ application: ctx.application })).filter(
    e => !GONE.has(e.status)
  )
  const source = live.find(e => e.name === ctx.from)
  if (!source) {
    const names = live.map(e => e.name)
    const closest = closestName(ctx.from, names)
    throw new UserError(
      `No environment named "${ctx.from}" runs in application "${ctx.application}" in ${ctx.region} (names are case-sensitive), so there is nothing to promote from.${closest ? ` Did you mean "${closest}"? Set from-environment to "${closest}".` : ''} Environments of ${ctx.application}: ${listNames(names)}.`,
      { input: 'from-environment', title: 'Source environment not found' }
    )
  }
  const problem = promotionProblem(source, ctx.requiredHealth)
  if (problem) {
    throw new UserError(`${problem} Nothing was changed.`, {
      input: 'from-environment',
      title: 'Source environment not promotable'
    })
  }
  const label = source.versionLabel ?? ''
  if (ctx.expectedLabel !== undefined && ctx.expectedLabel !== label) {
    throw new UserError(
      `Environment "${source.name}" runs ${label} now, not ${ctx.expectedLabel} (version-label): the version to promote changed since this run was started (a newer deploy reached ${source.name}). Nothing was changed; start the promotion again for ${label}, or remove version-label to promote whatever ${source.name} runs.`,
      { input: 'version-label', title: 'Source environment runs another version' }
    )
  }
  const version = await beanstalk.version(ctx.application, label)
  if (!version) {
    throw new UserError(
      `Environment "${source.name}" runs ${label}, but ${ctx.application} has no version with that label any more (deleted?): it cannot be deployed elsewhere. Deploy a new build instead.`,
      { input: 'from-environment', title: 'Source version missing' }
    )
  }
  if (/^failed$/i.test(version.status)) {
    throw new UserError(
      `Version ${label} (run by ${source.name}) failed processing and cannot be deployed. Deploy a new build instead.`,
      { input: 'from-environment', title: 'Source version failed' }
    )
  }
  await verifyPromotedBundle(await ctx.storage(), version, {
    application: ctx.application,
    source: source.name
  })
  return { source, label, version }
}
