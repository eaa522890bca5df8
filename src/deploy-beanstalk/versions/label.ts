import * as core from '@actions/core'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { UserError, describeError } from '../../common/errors.js'
import { debug } from '../../common/log.js'
import { closestName, listNames } from '../../common/suggest.js'
import type { BeanstalkGateway, VersionInfo } from '../aws/beanstalk.js'
import type { StorageGateway } from '../aws/s3.js'
import type { PreparedBundle } from '../bundle/index.js'
import { truncateDescription } from '../inputs.js'

/**
 * Which version a run deploys: its label and description by default, and what to do when the label exists
 * (the same bundle is a redeploy; other content is an error, never an overwrite).
 */

/** `<short sha 7>-<first 8 hex of the bundle sha256>`, or `local-<8 hex>` without a commit. */
export function defaultVersionLabel(sha: string | undefined, bundleSha256: string): string {
  const hash = bundleSha256.toLowerCase().slice(0, 8)
  const commit = sha?.trim().toLowerCase() ?? ''
  return commit === '' ? `local-${hash}` : `${commit.slice(0, 7)}-${hash}`
}

/** The first line of a commit message, from the push event payload, else `git log` in the workspace. */
export async function commitSubject(env: NodeJS.ProcessEnv, workspace: string): Promise<string | undefined> {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as {
        head_commit?: { message?: string }
      }
      const message = event.head_commit?.message?.split('\n')[0]?.trim()
      if (message) return message
    } catch {
      // not a push event, or no payload: try git
    }
  }
  try {
    const { stdout } = await promisify(execFile)('git', ['log', '-1', '--format=%s'], {
      cwd: workspace,
      timeout: 5_000
    })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

/** The default version description: the commit subject (≤ 200 characters), else where it came from. */
export async function defaultDescription(env: NodeJS.ProcessEnv, workspace: string): Promise<string> {
  const subject = await commitSubject(env, workspace)
  const fallback = `Deployed from ${env.GITHUB_REPOSITORY ?? 'a workflow'}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : ''}`
  return truncateDescription(subject ?? fallback).text
}

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
      debug(`HeadObject s3://${existing.bucket}/${existing.key}: ${describeError(error)}`)
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

/**
 * `version-label` names no version and there is no `image` (nor `bundle`): a redeploy that found nothing. It is
 * refused, with the closest labels, unless the compose file pins every image itself; then it is a new version
 * built from the file as it is (the plan says so), with a "did you mean" warning when the label is close to one
 * that exists. Read-only. Returns the plan's note on the version and the warnings.
 */
export async function checkMissingLabel(
  beanstalk: BeanstalkGateway,
  application: string,
  label: string,
  bundle: PreparedBundle,
  composeFile: string
): Promise<{ note: string; warnings: string[] }> {
  const labels = (await beanstalk.listVersions(application))
    .sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0))
    .map(v => v.label)
  const closest = closestName(label, labels)
  const unpinned = bundle.unpinned ?? []
  if (unpinned.length > 0) {
    const mean = closest === undefined ? '' : ` Did you mean "${closest}"? Set version-label to "${closest}".`
    throw new UserError(
      `Application "${application}" has no version "${label}" to redeploy, and there is no 'image' to build a new one from: ${composeFile} does not pin ${unpinned
        .map(u => `${u.service} (${u.why})`)
        .join(
          ', '
        )}, so deploying it could ship anything. Nothing was built or changed.${mean} Versions of ${application}, newest first: ${listNames(labels.slice(0, 10))}. To deploy a new build, set 'image' to the tag or digest to run (or pin every image in ${composeFile}).`,
      { input: 'version-label', title: 'No such version' }
    )
  }
  const warnings =
    closest !== undefined && closest !== label
      ? [
          `version-label "${label}" names no version of ${application}, so a new version is built from ${composeFile} (every image in it is pinned). Did you mean "${closest}", which exists? Set version-label to "${closest}" to redeploy it.`
        ]
      : []
  return {
    note: `no version "${label}" exists: built from ${composeFile} as it is, every image pinned there`,
    warnings
  }
}
