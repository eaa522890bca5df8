import { beanstalkConsoleUrl } from '../common/aws.js'
import { formatBytes, formatDuration } from '../common/format.js'
import type { EnvironmentInfo, UpdateRequest, VersionInfo } from './aws/beanstalk.js'
import type { PreparedBundle } from './bundle/index.js'
import { describeConfiguration, type ConfigurationPlan } from './configuration/diff.js'
import type { Inputs, RequiredHealth } from './inputs.js'
import {
  deployStepWithPlatform,
  describePlatform,
  platformToSend,
  rollbackStepWithPlatform,
  type PlatformPlan
} from './platform/index.js'
import { describeRetention, type RetentionPlan } from './versions/retention.js'
import { describeBlueGreen, twinSteps, type BlueGreenPlan } from './bluegreen/plan.js'

/**
 * What this run will do, decided from the inputs and the look-up before anything changes. Pure and printable:
 * `dry-run` prints it and stops.
 */
/** What the plan needs of the bundle. */
export type BundleFacts = Pick<PreparedBundle, 'path' | 'sha256' | 'size' | 'temporary'>

export interface Plan {
  application: string
  environment: string
  environmentId: string
  region: string
  label: string
  description: string
  /** The version running now (the rollback target). */
  previousLabel?: string
  environmentStatus: string
  /** The environment as the look-up found it. */
  current: EnvironmentInfo
  /** `new-version`: upload (unless already there) and create the version; `redeploy`: deploy an existing one. */
  mode: 'new-version' | 'redeploy'
  bundle?: BundleFacts
  /** Where the bundle goes; bucket undefined = Beanstalk's storage bucket (CreateStorageLocation). */
  upload?: { bucket?: string; key: string }
  wait: boolean
  timeoutMs: number
  requiredHealth: RequiredHealth
  rollbackOnFailure: boolean
  dryRun: boolean
  consoleUrl: string
  warnings: string[]
  /** The configuration change (names only ever shown), when any configuration input was set. */
  configuration?: ConfigurationPlan
  /** What the update sends (update/): the version, the configuration changes, the platform version, in one value. */
  send: UpdateRequest
  /** Quota, usage and what keep-versions deletes (versions/retention.ts). */
  retention?: RetentionPlan
  /** from-environment: the environment whose running version is deployed. */
  promotedFrom?: EnvironmentInfo
  /** A new version under a label that named nothing: why it is built (versions/label.ts). */
  versionNote?: string
  /** The current and target platform version, and the lifecycle warnings (platform/). */
  platform?: PlatformPlan
  /** strategy blue-green: the live and the idle environment, and the twin to create (bluegreen/). */
  blueGreen?: BlueGreenPlan
}

/** `<application>/<label>.zip`. */
export function bundleKey(application: string, label: string): string {
  return `${application}/${label}.zip`
}

export interface PlanFacts {
  inputs: Inputs
  environment: EnvironmentInfo
  label: string
  description: string
  bundle?: BundleFacts
  /** The version with this label, when it already exists. */
  existing?: VersionInfo
  warnings?: string[]
  configuration?: ConfigurationPlan
  retention?: RetentionPlan
  promotedFrom?: EnvironmentInfo
  versionNote?: string
  platform?: PlatformPlan
}

export function makePlan(facts: PlanFacts): Plan {
  const { inputs, environment, existing, bundle } = facts
  const mode = existing ? 'redeploy' : 'new-version'
  return {
    application: inputs.application,
    // the environment the look-up chose to deploy to (its name as Beanstalk spells it)
    environment: environment.name || inputs.environment,
    environmentId: environment.id,
    region: inputs.region,
    label: facts.label,
    description: facts.description,
    previousLabel: environment.versionLabel,
    environmentStatus: environment.status,
    current: environment,
    mode,
    bundle,
    upload:
      mode === 'new-version'
        ? { bucket: inputs.bucket, key: bundleKey(inputs.application, facts.label) }
        : undefined,
    wait: inputs.wait,
    timeoutMs: inputs.timeoutMs,
    requiredHealth: inputs.requiredHealth,
    rollbackOnFailure: inputs.rollbackOnFailure,
    dryRun: inputs.dryRun,
    consoleUrl: beanstalkConsoleUrl(inputs.region, environment.id, inputs.application),
    warnings: facts.warnings ?? [],
    configuration: facts.configuration,
    send: {
      label: facts.label,
      configuration: facts.configuration?.send,
      platformArn: platformToSend(facts.platform)
    },
    retention: facts.retention,
    promotedFrom: facts.promotedFrom,
    versionNote: facts.versionNote,
    platform: facts.platform
  }
}

/** The plan as log lines. */
export function describePlan(plan: Plan): string[] {
  const lines = [
    `Application:  ${plan.application} (${plan.region})`,
    `Environment:  ${plan.environment} (${plan.environmentId || 'to be created'}), ${plan.environmentStatus}, running ${plan.previousLabel ?? 'no version'}`,
    ...(plan.blueGreen ? describeBlueGreen(plan.blueGreen) : []),
    `Version:      ${plan.label}${plan.mode === 'redeploy' ? ' (exists: redeployed as it is, nothing built or uploaded)' : plan.versionNote ? ` (new: ${plan.versionNote})` : ' (new)'}`,
    `Description:  ${plan.description}`
  ]
  if (plan.promotedFrom) {
    lines.push(
      `Promoted:     from ${plan.promotedFrom.name}, which runs ${plan.label} (${plan.promotedFrom.status}, health ${plan.promotedFrom.health})`
    )
  }
  if (plan.bundle && plan.mode === 'new-version') {
    lines.push(`Bundle:       ${formatBytes(plan.bundle.size)}, sha256 ${plan.bundle.sha256}`)
  }
  if (plan.upload) {
    // no placeholder: Beanstalk's storage bucket is only named by CreateStorageLocation, a call the plan
    // (also printed by a dry run) does not make; the upload step prints the s3:// address
    const where = plan.upload.bucket
      ? `s3://${plan.upload.bucket}/${plan.upload.key}`
      : `${plan.upload.key} in Beanstalk's storage bucket for the region (CreateStorageLocation)`
    lines.push(
      `Upload to:    ${where} (create-only: reused when already there with the same bytes, never overwritten)`
    )
  }
  if (plan.platform) lines.push(...describePlatform(plan.platform))
  if (plan.configuration) {
    lines.push(
      'Configuration (names only; values are never shown):',
      ...describeConfiguration(plan.configuration)
    )
  }
  lines.push(
    `Steps:        ${planSteps(plan)
      .map((s, i) => `${i + 1}. ${s}`)
      .join('; ')}`
  )
  if (plan.retention) lines.push(...describeRetention(plan.retention, plan.application, plan.dryRun))
  if (plan.dryRun) lines.push('Dry run: stopping here; nothing was changed in AWS.')
  lines.push(`Console:      ${plan.consoleUrl}`)
  return lines
}

/** The steps in the order main.ts carries them out: a busy environment is waited out before anything is uploaded. */
export function planSteps(plan: Plan): string[] {
  const steps: string[] = plan.blueGreen ? twinSteps(plan.blueGreen) : []
  if (plan.environmentStatus !== 'Ready' && !plan.blueGreen?.create)
    steps.push(`wait until ${plan.environment} is Ready (it is ${plan.environmentStatus})`)
  if (plan.mode === 'new-version')
    steps.push('upload the bundle', `create version ${plan.label} and wait until it is processed`)
  steps.push(
    deployStepWithPlatform(
      plan.configuration?.send
        ? `deploy ${plan.label} to ${plan.environment} with the configuration changes in one update (if Beanstalk refuses that, the configuration first, then the version)`
        : `deploy ${plan.label} to ${plan.environment}`,
      plan.platform
    )
  )
  if (!plan.wait) return steps
  steps.push(
    `follow the update until Ready on ${plan.label} with health ${plan.requiredHealth === 'Green' ? 'Green' : 'Yellow or Green'} (timeout ${formatDuration(plan.timeoutMs)})`
  )
  if (plan.rollbackOnFailure) steps.push(rollbackStepWithPlatform(rollbackStep(plan), plan.platform))
  return steps
}

function rollbackStep(plan: Plan): string {
  const restore = plan.configuration?.restore ? ' and restore the previous configuration' : ''
  if (plan.previousLabel && plan.previousLabel !== plan.label)
    return `on failure, redeploy ${plan.previousLabel}${restore}`
  if (restore) return 'on failure, restore the previous configuration'
  return 'on failure, no rollback (no previous version to return to)'
}
