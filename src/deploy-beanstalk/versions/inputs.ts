import { UserError, inputError } from '../../common/errors.js'
import { parseBoolean } from '../../common/inputs.js'

/**
 * The inputs of versions over time (`keep-versions`, `delete-source-bundles`), of promotion (`from-environment`)
 * and of a redeploy only (`require-existing-version`), parsed and checked without I/O.
 */

export interface RetentionInputs {
  /** Keep this application's newest N versions; undefined = never delete. */
  keep?: number
  /** Also delete the S3 objects of deleted versions (DeleteSourceBundle). */
  deleteSourceBundles: boolean
}

/** Beanstalk's largest quota we expect to meet; a larger keep-versions is surely a typo. */
export const MAX_KEEP = 10_000

export function parseKeepVersions(value: string): number | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > MAX_KEEP) {
    throw inputError(
      'keep-versions',
      value,
      `expected how many of this application's newest versions to keep, a whole number from 1 to ${MAX_KEEP} (such as 50), or leave it empty to never delete versions.`
    )
  }
  return n
}

export function parseRetention(raw: {
  'keep-versions': string
  'delete-source-bundles': string
}): RetentionInputs {
  return {
    keep: parseKeepVersions(raw['keep-versions']),
    deleteSourceBundles: parseBoolean('delete-source-bundles', raw['delete-source-bundles'], true)
  }
}

/**
 * The inputs that say what to build, which `from-environment` contradicts. `compose-file` and `include` are
 * unused by a promotion, as by a redeploy by label (so a workflow may pass them always). `version-label` may
 * come with it: then it is the label the source environment must run (a guard against promoting a newer build
 * than the one approved).
 */
const SOURCE_INPUTS = ['image', 'bundle'] as const

/**
 * `from-environment`: another environment of the same application whose running version is deployed. It
 * replaces every input that says what to deploy, and cannot be the environment deployed to.
 */
export function parseFromEnvironment(
  raw: Record<(typeof SOURCE_INPUTS)[number] | 'from-environment' | 'environment-name', string>
): string | undefined {
  const value = raw['from-environment'].trim()
  if (value === '') return undefined
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value) || value.length < 4 || value.length > 40) {
    throw inputError(
      'from-environment',
      value,
      'expected the name of another environment of the same application (4 to 40 letters, digits and hyphens), such as BrillianCRM-staging.'
    )
  }
  if (value === raw['environment-name']) {
    throw inputError(
      'from-environment',
      value,
      `it names the environment being deployed to: set it to the environment whose version should be promoted to ${value} (such as a staging environment).`
    )
  }
  const set = SOURCE_INPUTS.filter(name => raw[name] !== '')
  if (set.length > 0) {
    throw new UserError(
      `Input 'from-environment' ("${value}") is set together with ${set.map(n => `'${n}'`).join(', ')}: a promotion deploys exactly the version ${value} runs, nothing is built or chosen, so remove ${set.length === 1 ? 'that input' : 'those inputs'} or 'from-environment'.`,
      { input: 'from-environment' }
    )
  }
  return value
}

/**
 * `require-existing-version`: a redeploy of `version-label` as it is, so the label is needed and nothing may be
 * given to build from.
 */
export function parseRequireExistingVersion(
  raw: Record<'require-existing-version' | 'image' | 'bundle', string>,
  versionLabel: string | undefined
): boolean {
  const required = parseBoolean('require-existing-version', raw['require-existing-version'], false)
  if (!required) return false
  if (versionLabel === undefined) {
    throw new UserError(
      "Input 'require-existing-version' is true but 'version-label' is empty: set version-label to the existing version to redeploy, or set require-existing-version to false.",
      { input: 'require-existing-version' }
    )
  }
  const building = (['image', 'bundle'] as const).filter(name => raw[name] !== '')
  if (building.length > 0) {
    throw new UserError(
      `Input 'require-existing-version' is true, so version "${versionLabel}" is redeployed as it is, but ${building.map(n => `'${n}'`).join(' and ')} ${building.length === 1 ? 'asks' : 'ask'} for a new bundle: remove ${building.length === 1 ? 'it' : 'them'}, or set require-existing-version to false.`,
      { input: 'require-existing-version' }
    )
  }
  return true
}
