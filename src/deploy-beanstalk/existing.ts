import * as core from '@actions/core'
import { UserError, describeError } from '../common/errors.js'
import type { VersionInfo } from './beanstalk.js'
import type { PreparedBundle } from './bundling.js'
import type { StorageGateway } from './storage.js'

/**
 * A label that exists and a new bundle: the same content (sha256 in the S3 object's metadata) is a redeploy;
 * different or unknown content is an error, never an overwrite.
 */
export async function checkExistingVersion(
  storage: StorageGateway,
  existing: VersionInfo,
  bundle: PreparedBundle,
  input: 'bundle' | 'image'
): Promise<void> {
  let sha256: string | undefined
  if (existing.bucket && existing.key) {
    try {
      sha256 = (await storage.head(existing.bucket, existing.key))?.sha256
    } catch (error) {
      core.debug(`HeadObject s3://${existing.bucket}/${existing.key}: ${describeError(error)}`)
    }
  }
  if (sha256 === bundle.sha256) {
    core.info(
      `Version ${existing.label} already holds this bundle (sha256 ${sha256}): redeploying it, nothing uploaded.`
    )
    return
  }
  const what = sha256
    ? `other content (sha256 ${sha256})`
    : 'content that cannot be compared (its S3 object has no sha256 metadata)'
  throw new UserError(
    `Version "${existing.label}" already exists with ${what}, and this run built a bundle with sha256 ${bundle.sha256}. A version is never overwritten: set a new version-label (or leave it empty for <sha>-<bundle hash>), or remove '${input}' to redeploy "${existing.label}" as it is.`,
    { input: 'version-label', title: 'Version label already used' }
  )
}
