import * as core from '@actions/core'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { UserError, describeError } from '../../common/errors.js'
import { debug } from '../../common/log.js'
import type { VersionInfo } from '../aws/beanstalk.js'
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
