import * as core from '@actions/core'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { UserError, describeError, isAwsError } from '../common/errors.js'
import { OutcomeUnknownError } from '../common/failure.js'
import { formatBytes, formatDuration } from '../common/format.js'
import { systemClock, type Clock, type Deadline } from '../common/retry.js'
import type { BeanstalkGateway, VersionInfo } from './aws/beanstalk.js'
import type { StorageGateway } from './aws/s3.js'
import type { PreparedBundle } from './bundle/index.js'
import { eventLevel, formatEvent } from './follow/events.js'
import { Poller } from './follow/poll.js'
import { checkLostVersion } from './idempotent.js'
import { truncateDescription } from './inputs.js'
import type { Plan } from './plan.js'
import { tooManyVersionsError } from './versions/retention.js'
import { debug } from '../common/log.js'

/**
 * The application version: its label and description, what to do when the label exists, the upload of its
 * bundle, and CreateApplicationVersion until Beanstalk has processed it.
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

/** The bucket: the `bucket` input, else Beanstalk's own storage bucket for the region. */
export async function resolveBucket(beanstalk: BeanstalkGateway, plan: Plan): Promise<string> {
  if (plan.upload?.bucket) return plan.upload.bucket
  const bucket = await beanstalk.storageLocation()
  core.info(`Beanstalk's storage bucket in ${plan.region}: ${bucket}`)
  return bucket
}

/** Uploads the bundle unless the object is already there with the same sha256; returns the bytes sent. */
export async function uploadBundle(
  storage: StorageGateway,
  plan: Plan,
  bucket: string,
  clock: Clock = systemClock
): Promise<number> {
  const bundle = plan.bundle
  const key = plan.upload?.key
  if (!bundle || !key) throw new Error('uploadBundle needs a bundle and a key')
  const existing = await storage.head(bucket, key)
  if (existing?.sha256 === bundle.sha256) {
    core.info(`s3://${bucket}/${key} is already there with sha256 ${bundle.sha256}: not uploaded again.`)
    return 0
  }
  if (existing) {
    core.warning(
      `s3://${bucket}/${key} exists with other content (sha256 ${existing.sha256 ?? 'unknown'}) and no version uses that label: replacing it.`
    )
  }
  const started = clock.now()
  await storage.upload({ bucket, key, path: bundle.path, size: bundle.size, sha256: bundle.sha256 })
  core.info(
    `Uploaded ${formatBytes(bundle.size)} to s3://${bucket}/${key} in ${formatDuration(clock.now() - started)}.`
  )
  return bundle.size
}

/**
 * CreateApplicationVersion (Process=true). If a retried request finds the version already made by its own
 * first try (same bucket and key), that version is used: a retry never fails on itself.
 */
export async function createVersion(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  bucket: string
): Promise<VersionInfo> {
  const key = plan.upload?.key ?? ''
  const request = {
    application: plan.application,
    label: plan.label,
    description: plan.description,
    bucket,
    key
  }
  try {
    try {
      return await beanstalk.createVersion(request)
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error
      // the reply was lost: use the version if it was made, else send the request once more
      return (await checkLostVersion(beanstalk, error, request)) ?? (await beanstalk.createVersion(request))
    }
  } catch (error) {
    if (isAwsError(error, 'TooManyApplicationVersionsException')) {
      throw tooManyVersionsError(error, {
        application: plan.application,
        region: plan.region,
        retention: plan.retention
      })
    }
    if (!isAwsError(error, 'InvalidParameterValue') || !/already exists/i.test((error as Error).message))
      throw error
    const existing = await beanstalk.version(plan.application, plan.label)
    if (existing && existing.bucket === bucket && existing.key === key) {
      core.info(`Version ${plan.label} was already created by an earlier try of this request: using it.`)
      return existing
    }
    throw new UserError(
      `Version "${plan.label}" of ${plan.application} was created by someone else while this step ran (source ${existing?.bucket}/${existing?.key}). Use another version-label.`,
      { input: 'version-label', cause: error }
    )
  }
}

/**
 * Waits until Beanstalk has processed the version; FAILED ends the step with Beanstalk's reason. `created` is the
 * status CreateApplicationVersion answered with: the first look, without a request of its own.
 */
export async function waitProcessed(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  deadline: Deadline,
  since: Date,
  bucket: string,
  created?: string
): Promise<void> {
  let last = ''
  let answered = created
  const poller = new Poller(deadline, beanstalk).heartbeat(
    `Beanstalk to process version ${plan.label}`,
    () => `it is ${last || 'not known yet'}`
  )
  const status = await poller.run(async () => {
    const current = answered ?? (await beanstalk.version(plan.application, plan.label))?.status ?? 'missing'
    answered = undefined
    if (current !== last) {
      if (last !== '') core.info(`Version ${plan.label}: ${current}`)
      last = current
      poller.changed()
    }
    // Processing and Building are still under way (Beanstalk spells statuses Processed, Failed, …).
    return /^(processing|building)$/i.test(current) ? undefined : current
  }, 1)
  if (status === undefined) {
    throw new UserError(
      `Version ${plan.label} was still being processed when the timeout (${formatDuration(plan.timeoutMs)}) ran out. See ${plan.consoleUrl}`,
      { input: 'timeout', title: 'Timed out' }
    )
  }
  if (/^(processed|unprocessed)$/i.test(status)) {
    core.info(`Version ${plan.label}: ${status}.`)
    return
  }
  // FAILED (or gone): Beanstalk says why in the version's events.
  let reasons: string[] = []
  try {
    const events = await beanstalk.events({
      application: plan.application,
      versionLabel: plan.label,
      startTime: since
    })
    for (const event of [...events].reverse()) {
      const level = eventLevel(event.severity)
      if (level === 'error' || level === 'warning') core.info(formatEvent(event))
    }
    reasons = events
      .filter(e => ['error', 'warning'].includes(eventLevel(e.severity)))
      .map(e => e.message)
      .reverse()
  } catch (error) {
    debug(`DescribeEvents for the version failed: ${String(error)}`)
  }
  throw new UserError(
    `Beanstalk could not process version ${plan.label} (status ${status})${reasons.length ? `: ${reasons.join(' ')}` : '.'} Check that the bundle is a valid Docker platform bundle (docker-compose.yml at the root) and that Beanstalk can read s3://${bucket}/${plan.upload?.key}.`,
    { title: 'Version processing failed' }
  )
}
