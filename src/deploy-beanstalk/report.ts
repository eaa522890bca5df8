import { formatDuration } from '../common/format.js'
import { markdownTable, setOutputs, startSummary, writeSummary } from '../common/log.js'
import type { EnvironmentInfo } from './aws/beanstalk.js'
import { configurationTable, countChanges } from './configuration/diff.js'
import { formatEvent, type BeanstalkEvent } from './follow/events.js'
import type { Plan } from './plan.js'
import { describeUsage } from './versions/retention.js'
import { platformRow } from './platform/index.js' // platform

/** How the run ended, told once: the outputs and the job summary, whatever happened. */

export type Result = 'deployed' | 'failed' | 'timed-out' | 'dry-run' | 'requested'

export interface RollbackReport {
  result: 'succeeded' | 'failed' | 'timed-out' | 'not-needed' | 'skipped'
  label?: string
  detail: string
  /** The environment as a succeeded rollback left it (platform: what the outputs report after it). */
  environment?: EnvironmentInfo
}

export interface Outcome {
  result: Result
  /** The update was accepted (and, when waited for, succeeded). */
  deployed: boolean
  environment?: EnvironmentInfo
  events: BeanstalkEvent[]
  reason?: string
  rollback?: RollbackReport
  durationMs: number
  uploadedBytes: number
  /** How the configuration change went out, when there was one (e.g. "with the version"). */
  configurationApplied?: string
  /** False when the run stopped before the version existed: `version-label` is then left empty. */
  versionExists?: boolean
  /** platform: how the platform change went out, when there was one */
  platformApplied?: string
}

export function environmentUrl(env: EnvironmentInfo | undefined): string | undefined {
  if (!env?.cname) return undefined
  return `http://${env.cname}`
}

export function setActionOutputs(plan: Plan, outcome: Outcome): void {
  setOutputs({
    'version-label': outcome.versionExists === false ? undefined : plan.label,
    'previous-version-label': plan.previousLabel,
    'environment-url': environmentUrl(outcome.environment ?? plan.current),
    'environment-id': plan.environmentId,
    health: (outcome.environment ?? plan.current).health,
    'bundle-sha256': plan.bundle?.sha256,
    deployed: outcome.deployed,
    'versions-deleted': plan.retention?.deleted.length ?? 0,
    // platform
    'platform-arn': (outcome.environment ?? plan.current).platformArn,
    'previous-platform-arn': plan.platform?.current?.arn ?? plan.current.platformArn
  })
}

const HEADLINE: Record<Result, string> = {
  deployed: '✅ Deployed',
  failed: '❌ Deployment failed',
  'timed-out': '⏱️ Timed out (the update may still be running)',
  'dry-run': '📝 Dry run: nothing changed',
  requested: '🚀 Deployment requested (not waited for)'
}

const SHOWN_EVENTS = 100

/** The job summary, in core.summary. */
export function summary(plan: Plan, outcome: Outcome): void {
  const url = environmentUrl(outcome.environment ?? plan.current)
  const text = startSummary(`Elastic Beanstalk: ${HEADLINE[outcome.result]}`)
  text.addRaw(
    markdownTable([
      ['Application', plan.application],
      ['Environment', `${plan.environment} (${plan.environmentId})`],
      ['Region', plan.region],
      [
        'Version',
        `${plan.label}${plan.mode === 'redeploy' ? ' (redeployed)' : outcome.versionExists === false ? ' (not created)' : ''}`
      ],
      ['Previous version', plan.previousLabel],
      ['Health', outcome.environment?.health],
      ['URL', url ? `[${url}](${url})` : undefined],
      ['Duration', formatDuration(outcome.durationMs)],
      ['Bundle sha256', plan.bundle?.sha256],
      [
        'Uploaded',
        plan.mode === 'redeploy'
          ? 'nothing (existing version)'
          : outcome.uploadedBytes === 0 && outcome.result !== 'dry-run'
            ? 'nothing (already in S3)'
            : `${outcome.uploadedBytes} bytes`
      ],
      ['Configuration', plan.configuration ? describeApplied(plan, outcome) : undefined],
      ['Platform', platformRow(plan.platform, outcome)], // platform
      ['Promoted from', plan.promotedFrom?.name],
      ['Application versions', plan.retention?.usage ? describeUsage(plan.retention.usage) : undefined],
      [
        'Versions deleted',
        plan.retention?.keep === undefined
          ? undefined
          : plan.retention.deleted.length > 0
            ? `${plan.retention.deleted.length}: ${plan.retention.deleted.join(', ')}`
            : outcome.result === 'dry-run'
              ? `none (would delete ${plan.retention.toDelete.length})`
              : 'none'
      ],
      ['Console', `[Open in the AWS console](${plan.consoleUrl})`]
    ])
  )
  if (plan.configuration && plan.configuration.changes.length > 0) {
    text
      .addEOL()
      .addDetails(
        'Configuration (names only; values are never shown)',
        ['', '', configurationTable(plan.configuration), ''].join('\n')
      )
  }
  for (const warning of plan.platform?.warnings ?? [])
    text.addEOL().addRaw(`**Platform:** ⚠️ ${warning}`, true) // platform
  if (outcome.reason) text.addEOL().addRaw(`**Why:** ${outcome.reason}`, true)
  if (outcome.rollback) text.addEOL().addRaw(`**Rollback:** ${outcome.rollback.detail}`, true)
  if (outcome.events.length > 0) {
    const events = outcome.events.slice(-SHOWN_EVENTS)
    text
      .addEOL()
      .addDetails(
        `Beanstalk events (${outcome.events.length})`,
        ['', '', '```', ...events.map(formatEvent), '```', ''].join('\n')
      )
  }
}

function describeApplied(plan: Plan, outcome: Outcome): string {
  const configuration = plan.configuration
  if (!configuration) return ''
  const counts = countChanges(configuration)
  if (!configuration.send) return `${counts}: nothing sent`
  if (outcome.result === 'dry-run') return `${counts}: not sent (dry run)`
  return `${counts}${outcome.configurationApplied ? `: sent ${outcome.configurationApplied}` : ': not sent'}`
}

/** Outputs, then the job summary. */
export async function report(plan: Plan, outcome: Outcome): Promise<void> {
  setActionOutputs(plan, outcome)
  summary(plan, outcome)
  await writeSummary()
}
