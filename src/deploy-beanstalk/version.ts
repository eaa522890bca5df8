import * as core from '@actions/core'
import { UserError, isAwsError } from '../common/errors.js'
import { formatDuration } from '../common/inputs.js'
import type { Deadline } from '../common/retry.js'
import type { BeanstalkGateway, VersionInfo } from './beanstalk.js'
import { eventLevel, formatEvent } from './events.js'
import { formatBytes } from './format.js'
import type { Plan } from './plan.js'
import { Poller } from './poller.js'
import type { StorageGateway } from './storage.js'

/** The bucket: the `bucket` input, else Beanstalk's own storage bucket for the region. */
export async function resolveBucket(beanstalk: BeanstalkGateway, plan: Plan): Promise<string> {
  if (plan.upload?.bucket) return plan.upload.bucket
  const bucket = await beanstalk.storageLocation()
  core.info(`Beanstalk's storage bucket in ${plan.region}: ${bucket}`)
  return bucket
}

/** Uploads the bundle unless the object is already there with the same sha256; returns the bytes sent. */
export async function uploadBundle(storage: StorageGateway, plan: Plan, bucket: string): Promise<number> {
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
  const started = Date.now()
  await storage.upload({ bucket, key, path: bundle.path, size: bundle.size, sha256: bundle.sha256 })
  core.info(
    `Uploaded ${formatBytes(bundle.size)} to s3://${bucket}/${key} in ${formatDuration(Date.now() - started)}.`
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
  try {
    return await beanstalk.createVersion({
      application: plan.application,
      label: plan.label,
      description: plan.description,
      bucket,
      key
    })
  } catch (error) {
    if (isAwsError(error, 'TooManyApplicationVersionsException')) {
      throw new UserError(
        `${(error as Error).message} Delete old versions of ${plan.application} (or set a version lifecycle policy in the Beanstalk console) and run again.`,
        { title: 'Too many application versions', cause: error }
      )
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

/** Waits until Beanstalk has processed the version; FAILED ends the step with Beanstalk's reason. */
export async function waitProcessed(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  deadline: Deadline,
  since: Date,
  bucket: string
): Promise<void> {
  const poller = new Poller(deadline, beanstalk)
  let last = ''
  const status = await poller.run(async () => {
    const version = await beanstalk.version(plan.application, plan.label)
    const current = version?.status ?? 'missing'
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
    core.debug(`DescribeEvents for the version failed: ${String(error)}`)
  }
  throw new UserError(
    `Beanstalk could not process version ${plan.label} (status ${status})${reasons.length ? `: ${reasons.join(' ')}` : '.'} Check that the bundle is a valid Docker platform bundle (docker-compose.yml at the root) and that Beanstalk can read s3://${bucket}/${plan.upload?.key}.`,
    { title: 'Version processing failed' }
  )
}
