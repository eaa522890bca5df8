import { beanstalkConsoleUrl } from '../common/aws.js'
import { explain } from '../common/failure.js'
import { formatDuration } from '../common/format.js'
import { markdownTable, startSummary, writeSummary } from '../common/log.js'
import { declareOutputs } from '../common/run.js'
import type { EnvironmentInfo } from './aws/beanstalk.js'
import type { PreparedBundle } from './bundle/index.js'
import { configurationTable, countChanges } from './configuration/diff.js'
import { logDetails, type FailureLogs } from './diagnostics/index.js'
import type { Inputs } from './inputs.js'
import { platformRow } from './platform/index.js'
import type { Plan } from './plan.js'
import { formatEvent, type BeanstalkEvent } from './update/events.js'
import type { UpdateOutcome } from './update/index.js'
import type { Uploaded } from './versions/create.js'
import { describeUsage } from './versions/retention.js'

/**
 * How the run ended, told once: the outputs and the job summary, whatever happened, from the run record that
 * main.ts fills with the facts its steps return. A new fact is a field of the record and a row or output here.
 */

/** The run record: what the story has learnt so far. */
export interface DeployRun {
  /** When the run started (the action's clock). */
  started: number
  inputs?: Inputs
  /** The environment as last seen (look-up, wait, update, rollback). */
  environment?: EnvironmentInfo
  bundle?: PreparedBundle
  plan?: Plan
  uploaded?: Uploaded
  /** This run created the version (the plan's label). */
  created?: boolean
  /** An UpdateEnvironment of this run was accepted. */
  requested?: boolean
  /** Events seen while following, for a follow that ends in an error of its own. */
  events: BeanstalkEvent[]
  update?: UpdateOutcome
  /** The instances' logs, fetched when the update failed (diagnostics/). */
  logs?: FailureLogs
}

export const outputs = declareOutputs([
  'version-label',
  'previous-version-label',
  'environment-url',
  'environment-id',
  'health',
  'bundle-sha256',
  'deployed',
  'versions-deleted',
  'platform-arn',
  'previous-platform-arn',
  'logs-file'
] as const)

export type Result = 'deployed' | 'failed' | 'timed-out' | 'dry-run' | 'requested'

const HEADLINE: Record<Result, string> = {
  deployed: '✅ Deployed',
  failed: '❌ Deployment failed',
  'timed-out': '⏱️ Timed out (the update may still be running)',
  'dry-run': '📝 Dry run: nothing changed',
  requested: '🚀 Deployment requested (not waited for)'
}

const SHOWN_EVENTS = 100

/** The one report: outputs, then the job summary. Nothing when the inputs were refused (their error says it all). */
export async function report(run: DeployRun, error: unknown, now: number): Promise<void> {
  const { inputs, plan } = run
  if (!inputs) return
  const result = resultOf(run, error)
  const environment = run.update?.environment ?? run.environment ?? plan?.current
  const deployed = error === undefined && (result === 'deployed' || result === 'requested')
  // after a failure, the label only when the version exists (it was found or created)
  const labelled = error === undefined || versionExists(run)
  outputs.write({
    'version-label': plan && labelled ? plan.label : undefined,
    'previous-version-label': plan?.previousLabel ?? environment?.versionLabel,
    'environment-url': environmentUrl(environment),
    'environment-id': plan?.environmentId ?? environment?.id,
    health: environment?.health,
    'bundle-sha256': plan?.bundle?.sha256,
    deployed,
    'versions-deleted': plan ? (plan.retention?.deleted.length ?? 0) : undefined,
    'platform-arn': environment?.platformArn,
    'previous-platform-arn':
      plan?.platform?.current?.arn ?? plan?.current.platformArn ?? environment?.platformArn,
    'logs-file': run.logs?.file
  })
  const reason = error === undefined ? undefined : because(run, error, result)
  const durationMs = now - run.started
  if (!plan) {
    // stopped before a plan (look-up, bundle): what is known of the environment, and why; nothing started
    const text = startSummary(
      `Elastic Beanstalk: ${result === 'timed-out' ? '⏱️ Timed out' : HEADLINE.failed}`
    )
    text.addRaw(markdownTable(lookupRows(inputs, environment, durationMs)))
    text.addEOL().addRaw(`**Why:** ${reason ?? ''} Nothing was changed in Beanstalk.`, true)
    return await writeSummary()
  }
  const text = startSummary(`Elastic Beanstalk: ${HEADLINE[result]}`)
  const rows = planRows(plan, run, { result, labelled, environment, durationMs })
  text.addRaw(markdownTable(rows))
  if (plan.configuration && plan.configuration.changes.length > 0) {
    const table = ['', '', configurationTable(plan.configuration), ''].join('\n')
    text.addEOL().addDetails('Configuration (names only; values are never shown)', table)
  }
  for (const warning of plan.platform?.warnings ?? [])
    text.addEOL().addRaw(`**Platform:** ⚠️ ${warning}`, true)
  if (reason) text.addEOL().addRaw(`**Why:** ${reason}`, true)
  const rollback = run.update?.rollback
  if (rollback) text.addEOL().addRaw(`**Rollback:** ${rollback.detail}`, true)
  const events = run.update?.events ?? run.events
  if (events.length > 0) {
    const lines = ['', '', '```', ...events.slice(-SHOWN_EVENTS).map(formatEvent), '```', ''].join('\n')
    text.addEOL().addDetails(`Beanstalk events (${events.length})`, lines)
  }
  for (const detail of logDetails(run.logs)) text.addEOL().addDetails(detail.title, `\n\n${detail.body}\n\n`)
  await writeSummary()
}

export function environmentUrl(env: EnvironmentInfo | undefined): string | undefined {
  return env?.cname ? `http://${env.cname}` : undefined
}

/** How the run ended: the update's own result when it had one, else what ended it. */
function resultOf(run: DeployRun, error: unknown): Result {
  if (run.update && run.update.result !== 'deployed' && run.update.result !== 'requested')
    return run.update.result
  if (error !== undefined) return explain(error).kind === 'timeout' ? 'timed-out' : 'failed'
  if (run.plan?.dryRun) return 'dry-run'
  return run.update?.result ?? 'deployed'
}

/** The version with the plan's label exists in Beanstalk (found, or created by this run). */
const versionExists = (run: DeployRun) => run.plan?.mode === 'redeploy' || run.created === true

/** The reason shown: the error explained, and what the run left in AWS when its message does not say. */
function because(run: DeployRun, error: unknown, result: Result): string {
  const explained = explain(error)
  const debris = leftBehind(run, result)
  return `${explained.title}: ${explained.message}${debris && !explained.message.includes(debris) ? ` ${debris}` : ''}`
}

/** What a failure left in AWS, in plain words. */
export function leftBehind(run: DeployRun, result: Result): string | undefined {
  const plan = run.plan
  if (!plan) return undefined
  if (run.requested) {
    // the update's own outcome says it, unless the step's timeout stopped the run first (no call-budget slot)
    return result === 'timed-out' && !run.update
      ? `The update of ${plan.environment} to ${plan.label} was started and may still be running.`
      : undefined
  }
  if (run.created)
    return `Version ${plan.label} was created but not deployed: deploy it later with version-label: ${plan.label}, or delete it (aws elasticbeanstalk delete-application-version --application-name ${plan.application} --version-label ${plan.label} --delete-source-bundle).`
  return 'Nothing was changed in Beanstalk.'
}

function lookupRows(inputs: Inputs, env: EnvironmentInfo | undefined, durationMs: number) {
  const console = beanstalkConsoleUrl(inputs.region, env?.id, inputs.application)
  return [
    ['Application', inputs.application],
    ['Environment', env ? `${inputs.environment} (${env.id})` : inputs.environment],
    ['Region', inputs.region],
    ['Running version', env?.versionLabel],
    ['Health', env?.health],
    ['Duration', formatDuration(durationMs)],
    ['Console', `[Open in the AWS console](${console})`]
  ] satisfies Array<[string, string | undefined]>
}

function planRows(
  plan: Plan,
  run: DeployRun,
  end: { result: Result; labelled: boolean; environment?: EnvironmentInfo; durationMs: number }
): Array<[string, string | number | undefined]> {
  const { result, durationMs } = end
  const env = end.environment
  const url = environmentUrl(env)
  const retention = plan.retention
  return [
    ['Application', plan.application],
    ['Environment', `${plan.environment} (${plan.environmentId})`],
    ['Region', plan.region],
    ['Version', `${plan.label}${versionNote(plan, end.labelled)}`],
    ['Previous version', plan.previousLabel],
    // a dry run changed nothing: no health of an update to tell
    ['Health', result === 'dry-run' ? undefined : env?.health],
    ['URL', url ? `[${url}](${url})` : undefined],
    ['Duration', formatDuration(durationMs)],
    ['Bundle sha256', plan.bundle?.sha256],
    ['Uploaded', uploadedNote(plan, run, result)],
    ['Configuration', plan.configuration ? describeApplied(plan, run, result) : undefined],
    [
      'Platform',
      platformRow(plan.platform, { result, environment: env, platformApplied: run.update?.platformApplied })
    ],
    ['Promoted from', plan.promotedFrom?.name],
    ['Application versions', retention?.usage ? describeUsage(retention.usage) : undefined],
    ['Versions deleted', deletedNote(plan, result)],
    ['Console', `[Open in the AWS console](${plan.consoleUrl})`]
  ]
}

function versionNote(plan: Plan, labelled: boolean): string {
  if (plan.mode === 'redeploy') return ' (redeployed)'
  return labelled ? '' : ' (not created)'
}

function uploadedNote(plan: Plan, run: DeployRun, result: Result): string {
  if (plan.mode === 'redeploy') return 'nothing (existing version)'
  const bytes = run.uploaded?.bytes ?? 0
  if (bytes === 0 && result !== 'dry-run') return 'nothing (already in S3)'
  return `${bytes} bytes`
}

function deletedNote(plan: Plan, result: Result): string | undefined {
  const retention = plan.retention
  if (retention?.keep === undefined) return undefined
  if (retention.deleted.length > 0) return `${retention.deleted.length}: ${retention.deleted.join(', ')}`
  return result === 'dry-run' ? `none (would delete ${retention.toDelete.length})` : 'none'
}

function describeApplied(plan: Plan, run: DeployRun, result: Result): string {
  const configuration = plan.configuration
  if (!configuration) return ''
  const counts = countChanges(configuration)
  if (!configuration.send) return `${counts}: nothing sent`
  if (result === 'dry-run') return `${counts}: not sent (dry run)`
  const applied = run.update?.configurationApplied
  return `${counts}${applied ? `: sent ${applied}` : ': not sent'}`
}
