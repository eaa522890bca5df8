import { formatDuration } from '../common/inputs.js'
import { JobSummary, setOutputs } from '../common/log.js'
import type { EnvironmentInfo } from './beanstalk.js'
import { formatEvent, type BeanstalkEvent } from './events.js'
import type { Plan } from './plan.js'

export type Result = 'deployed' | 'failed' | 'timed-out' | 'dry-run' | 'requested'

export interface RollbackReport {
  result: 'succeeded' | 'failed' | 'timed-out' | 'not-needed' | 'skipped'
  label?: string
  detail: string
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
}

export function environmentUrl(env: EnvironmentInfo | undefined): string | undefined {
  if (!env?.cname) return undefined
  return `http://${env.cname}`
}

export function setActionOutputs(plan: Plan, outcome: Outcome): void {
  setOutputs({
    'version-label': plan.label,
    'previous-version-label': plan.previousLabel,
    'environment-url': environmentUrl(outcome.environment ?? plan.current),
    'environment-id': plan.environmentId,
    health: (outcome.environment ?? plan.current).health,
    'bundle-sha256': plan.bundle?.sha256,
    deployed: outcome.deployed
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

export function summary(plan: Plan, outcome: Outcome): JobSummary {
  const url = environmentUrl(outcome.environment ?? plan.current)
  const text = new JobSummary().heading(`Elastic Beanstalk: ${HEADLINE[outcome.result]}`).table([
    ['Application', plan.application],
    ['Environment', `${plan.environment} (${plan.environmentId})`],
    ['Region', plan.region],
    ['Version', `${plan.label}${plan.mode === 'redeploy' ? ' (redeployed)' : ''}`],
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
    ['Console', `[Open in the AWS console](${plan.consoleUrl})`]
  ])
  if (outcome.reason) text.line(`**Why:** ${outcome.reason}`)
  if (outcome.rollback) text.line(`**Rollback:** ${outcome.rollback.detail}`)
  if (outcome.events.length > 0) {
    const events = outcome.events.slice(-SHOWN_EVENTS)
    text.details(
      `Beanstalk events (${outcome.events.length})`,
      ['```', ...events.map(formatEvent), '```'].join('\n')
    )
  }
  return text
}
