import * as core from '@actions/core'
import { UserError, isAwsError } from '../../common/errors.js'
import { OutcomeUnknownError } from '../../common/failure.js'
import { formatBytes, formatDuration } from '../../common/format.js'
import { systemClock, type Clock, type Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, VersionInfo } from '../aws/beanstalk.js'
import type { StorageGateway } from '../aws/s3.js'
import type { Plan } from '../plan.js'
import { eventLevel, formatEvent } from '../update/events.js'
import { describeLost } from '../update/lost-reply.js'
import { Poller } from '../update/poll.js'
import { tooManyVersionsError } from './quota.js'
import { describeWithDigest, reuseExistingBundle } from './integrity.js'
import { debug } from '../../common/log.js'

/**
 * A new application version: the upload of its bundle, CreateApplicationVersion (a lost reply checked before it
 * is sent again) until Beanstalk has processed it.
 */

/** The bucket: the `bucket` input, else Beanstalk's own storage bucket for the region. */
export async function resolveBucket(beanstalk: BeanstalkGateway, plan: Plan): Promise<string> {
  if (plan.upload?.bucket) return plan.upload.bucket
  const bucket = await beanstalk.storageLocation()
  core.info(`Beanstalk's storage bucket in ${plan.region}: ${bucket}`)
  return bucket
}

/** The bundle in S3: the bucket it went to and the bytes sent (0 when it was there already). */
export interface Uploaded {
  bucket: string
  bytes: number
}

/** The bucket, then the upload. */
export async function upload(
  beanstalk: BeanstalkGateway,
  storage: StorageGateway,
  plan: Plan,
  clock: Clock
): Promise<Uploaded> {
  const bucket = await resolveBucket(beanstalk, plan)
  return { bucket, bytes: await uploadBundle(storage, plan, bucket, clock) }
}

/**
 * Uploads the bundle, create-only: an object already under the key (a retried step after a lost reply, or an
 * earlier run that uploaded but never created the version) is reused when it holds exactly these bytes, else the
 * step fails; it is never replaced (integrity.ts: reuseExistingBundle). Returns the bytes stored (0: reused).
 */
export async function uploadBundle(
  storage: StorageGateway,
  plan: Plan,
  bucket: string,
  clock: Clock = systemClock
): Promise<number> {
  const bundle = plan.bundle
  const key = plan.upload?.key
  if (!bundle || !key) throw new Error('uploadBundle needs a bundle and a key')
  const at = { bucket, key, label: plan.label }
  // a first look, so a bundle already there is not sent again; the upload itself is what refuses an overwrite
  if ((await storage.head(bucket, key)) !== undefined) {
    await reuseExistingBundle(storage, bundle.sha256, at)
    return 0
  }
  const started = clock.now()
  const outcome = await storage.upload({
    bucket,
    key,
    path: bundle.path,
    size: bundle.size,
    sha256: bundle.sha256
  })
  if (outcome === 'exists') {
    await reuseExistingBundle(storage, bundle.sha256, at)
    return 0
  }
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
    // the bundle's sha256, recorded where no upload can change it: a promotion checks the bundle against it
    description: plan.bundle ? describeWithDigest(plan.description, plan.bundle.sha256) : plan.description,
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
  // each status is told once, as it is first seen: the one CreateApplicationVersion answered is in its own line
  let last = created ?? ''
  let answered = created
  const poller = new Poller(deadline, beanstalk).heartbeat(
    `Beanstalk to process version ${plan.label}`,
    () => `it is ${last || 'not known yet'}`
  )
  const status = await poller.run(async () => {
    const current = answered ?? (await beanstalk.version(plan.application, plan.label))?.status ?? 'missing'
    answered = undefined
    if (current !== last) {
      core.info(`Version ${plan.label}: ${current}.`)
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
  if (/^(processed|unprocessed)$/i.test(status)) return
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

/** After a lost CreateApplicationVersion reply: the version when it exists with our bundle, else undefined. */
export async function checkLostVersion(
  beanstalk: BeanstalkGateway,
  error: OutcomeUnknownError,
  version: { application: string; label: string; bucket: string; key: string }
): Promise<VersionInfo | undefined> {
  core.info(
    `The reply to CreateApplicationVersion was lost (${describeLost(error)}): checking whether the version exists.`
  )
  const found = await beanstalk.version(version.application, version.label)
  if (found && found.bucket === version.bucket && found.key === version.key) {
    core.info(`Version ${version.label} exists with this bundle: using it, not creating it again.`)
    return found
  }
  core.info(`Version ${version.label} does not exist: creating it again.`)
  return undefined
}
