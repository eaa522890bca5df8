import { beanstalkConsoleUrl } from '../common/aws.js'
import { formatDuration } from '../common/format.js'
import { failureParts, fenced, type SummaryLayout, type Tone } from '../common/summary.js'
import type { EnvironmentInfo } from './aws/beanstalk.js'
import { configurationTable, countChanges } from './configuration/diff.js'
import { logDetails } from '../common/logs/index.js'
import type { Inputs } from './inputs.js'
import { platformRow } from './platform/index.js'
import type { Plan } from './plan.js'
import type { DeployRun, Result } from './report.js'
import { formatEvent } from './update/events.js'
import { describeUsage } from './versions/quota.js'

/**
 * deploy-beanstalk's job summary in the one layout (common/summary.ts): the headline says how the run ended and
 * what now runs where; on a failure, Beanstalk's decisive messages (Why) and the fix (What to do); then the facts
 * that have a value; then the long parts collapsed (configuration names, versions deleted, events). Pure: the
 * report gives it the run record and how the run ended.
 */

/** How the run ended, as the report worked it out. */
export interface Ending {
  result: Result
  error: unknown
  /** The environment as last seen (after a rollback, as the rollback left it). */
  environment?: EnvironmentInfo
  /** After a failure: the version with the plan's label exists (found, or created by this run). */
  labelled: boolean
  durationMs: number
}

const TONE: Record<Result, Tone> = {
  deployed: 'success',
  failed: 'failure',
  'timed-out': 'timeout',
  'dry-run': 'dry-run',
  requested: 'pending'
}

const SHOWN_EVENTS = 100
const TITLE = 'Elastic Beanstalk'

export function deploySummary(run: DeployRun, end: Ending): SummaryLayout | undefined {
  const { inputs, plan } = run
  if (!inputs) return undefined
  const failure = end.error === undefined ? undefined : whyAndWhatToDo(run, end)
  if (!plan) {
    return {
      title: TITLE,
      tone: end.result === 'timed-out' ? 'timeout' : 'failure',
      headline: `Nothing was deployed to ${inputs.environment}: the run stopped before the deploy, and nothing was changed in Beanstalk.`,
      ...failure,
      facts: lookupFacts(inputs, end.environment, end.durationMs)
    }
  }
  return {
    title: TITLE,
    tone: end.error === undefined ? TONE[end.result] : end.result === 'timed-out' ? 'timeout' : 'failure',
    headline: headline(plan, run, end),
    ...failure,
    warnings: plan.platform?.warnings,
    facts: planFacts(plan, run, end),
    details: details(plan, run, end.result)
  }
}

/** The environment's own URL (its CNAME), for the output and the summary. */
export function environmentUrl(env: EnvironmentInfo | undefined): string | undefined {
  return env?.cname ? `http://${env.cname}` : undefined
}

const code = (label: string | undefined) => (label ? `\`${label}\`` : 'no version')

/** One sentence: the outcome and what now runs where. */
export function headline(plan: Plan, run: DeployRun, end: Ending): string {
  const env = end.environment
  const label = code(plan.label)
  const target = plan.environment
  const previously =
    plan.previousLabel && plan.previousLabel !== plan.label ? ` — previously ${code(plan.previousLabel)}` : ''
  const health = env?.health ?? 'health unknown'
  const runs = `${target} runs ${code(env?.versionLabel)}${env?.health ? `, ${env.health}` : ''}`
  const update = run.update
  if (end.error === undefined) {
    if (end.result === 'dry-run')
      return plan.blueGreen?.create
        ? `Dry run: ${target} would be created as a clone of ${plan.blueGreen.live.name}, then ${label} deployed to it; nothing was changed.${pairNote(plan)}`
        : `Dry run: ${label} would be ${plan.mode === 'redeploy' ? 'redeployed' : 'deployed'} to ${target}, which runs ${code(plan.previousLabel)}; nothing was changed.${pairNote(plan)}`
    if (end.result === 'requested')
      return `${label} is being deployed to ${target} (not waited for: \`wait: false\`)${previously}.${pairNote(plan)}`
    return `${label} runs on ${target}, ${health}, after ${formatDuration(end.durationMs)}${previously}.${pairNote(plan)}`
  }
  if (update?.busy)
    return `${label} was not deployed: ${target} stayed busy with another update for the whole timeout; ${runs}.`
  if (update?.result === 'timed-out')
    return `Deploying ${label} to ${target} did not finish within the timeout (${formatDuration(plan.timeoutMs)}) and may still be running; ${target} is ${env?.status ?? 'in an unknown state'}, running ${code(env?.versionLabel)}.`
  if (update?.result === 'failed') {
    const now =
      update.rollback?.result === 'succeeded'
        ? `${target} runs ${code(env?.versionLabel)} again after the rollback${env?.health ? `, ${env.health}` : ''}`
        : runs
    return `Deploying ${label} to ${target} failed after ${formatDuration(end.durationMs)}; ${now}.`
  }
  if (update?.result === 'deployed')
    return `${label} runs on ${target}, ${health}${previously}, but the step failed after the deploy.`
  if (run.requested)
    return `The update of ${target} to ${label} was started, but the step stopped before it ended: it may still be running; ${runs}.`
  const unchanged = run.created ? '' : ' Nothing was changed in Beanstalk.'
  if (end.result === 'timed-out')
    return `${label} was not deployed to ${target}: the timeout ran out before the update could start; ${runs}.${unchanged}`
  return `${label} was not deployed to ${target}; ${runs}.${unchanged}`
}

/** Why (Beanstalk's own messages when the update failed, else the error explained) and What to do. */
function whyAndWhatToDo(run: DeployRun, end: Ending): { why: string[]; whatToDo: string[] } {
  const { plan, update } = run
  const parts = failureParts(end.error)
  if (!plan || !update || (update.result !== 'failed' && update.result !== 'timed-out') || update.busy) {
    // a version this run created and did not deploy: what to do with it
    const created =
      plan && run.created && !run.requested
        ? `Version ${plan.label} was created but not deployed: deploy it later with \`version-label: ${plan.label}\`, or delete it (\`aws elasticbeanstalk delete-application-version --application-name ${plan.application} --version-label ${plan.label} --delete-source-bundle\`).`
        : undefined
    const twin = twinLeft(run, end.environment)
    return { why: parts.why, whatToDo: [...parts.whatToDo, ...[created, twin].filter(t => t !== undefined)] }
  }
  // the headline says what failed: its first line keeps Beanstalk's words only
  const failed = `Deploying ${plan.label} to ${plan.environment} failed: `
  const why =
    update.why && update.why.length > 0
      ? update.why.map(line => (line.startsWith(failed) ? line.slice(failed.length) : line))
      : parts.why
  if (update.rollback && !rollbackHelped(run)) why.push(`Rollback: ${update.rollback.detail}`)
  return { why, whatToDo: [update.fix ?? nextStep(plan, run, end)] }
}

/** The rollback brought the previous version back, or Beanstalk had kept it. */
const rollbackHelped = (run: DeployRun) =>
  run.update?.rollback?.result === 'succeeded' || run.update?.rollback?.result === 'not-needed'

/** What to do after an update that failed or timed out, when Beanstalk's messages name no fix. */
function nextStep(plan: Plan, run: DeployRun, end: Ending): string {
  if (run.update?.result === 'timed-out')
    return `Follow the update in the AWS console (the Console row below); if it needs longer than ${formatDuration(plan.timeoutMs)}, raise timeout.`
  const logs =
    run.logs && run.logs.shown.length > 0
      ? "the instances' logs (below; all of them in the logs-file output)"
      : "the instances' logs (Logs, in the environment's console)"
  const find = `Find the cause in Beanstalk's events (below) and ${logs}, fix it and deploy again`
  const previous = plan.previousLabel
  const stillBroken = end.environment?.versionLabel !== previous && previous && previous !== plan.label
  return stillBroken && !plan.rollbackOnFailure
    ? `${find}; to run ${code(previous)} meanwhile, deploy it with \`version-label: ${previous}\` (or set \`rollback-on-failure: true\`).`
    : `${find}.`
}

function lookupFacts(inputs: Inputs, env: EnvironmentInfo | undefined, durationMs: number) {
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

function planFacts(plan: Plan, run: DeployRun, end: Ending): Array<[string, string | number | undefined]> {
  const { result, durationMs } = end
  const env = end.environment
  const url = environmentUrl(env)
  const retention = plan.retention
  return [
    ['Application', plan.application],
    ['Environment', `${plan.environment} (${plan.environmentId || 'to be created'})`],
    ['Live environment', plan.blueGreen ? liveFact(plan.blueGreen, result) : undefined],
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
    // a rollback that failed or was not attempted is part of the Why
    ['Rollback', rollbackHelped(run) ? run.update?.rollback?.detail : undefined],
    ['Application versions', retention?.usage ? describeUsage(retention.usage) : undefined],
    ['Versions deleted', deletedNote(plan, result)],
    ['Console', `[Open in the AWS console](${plan.consoleUrl})`]
  ]
}

/**
 * The long parts, collapsed: the configuration's names, the versions deleted, Beanstalk's events, the instances'
 * logs (diagnostics/).
 */
function details(plan: Plan, run: DeployRun, result: Result): Array<{ title: string; body: string }> {
  const parts: Array<{ title: string; body: string }> = []
  if (plan.configuration && plan.configuration.changes.length > 0)
    parts.push({
      title: 'Configuration (names only; values are never shown)',
      body: configurationTable(plan.configuration)
    })
  const retention = plan.retention
  const deleted =
    result === 'dry-run'
      ? (retention?.toDelete.map(version => version.label) ?? [])
      : (retention?.deleted ?? [])
  if (deleted.length > 0)
    parts.push({
      title: `${result === 'dry-run' ? 'Versions keep-versions would delete' : 'Versions deleted'} (${deleted.length})`,
      body: deleted.map(label => `- \`${label}\``).join('\n')
    })
  const events = run.update?.events ?? run.events
  if (events.length > 0)
    parts.push({
      title: `Beanstalk events (${events.length})`,
      body: fenced(events.slice(-SHOWN_EVENTS).map(formatEvent))
    })
  return [...parts, ...logDetails(run.logs)]
}

/** blue/green: the live one (never updated by this step) and the idle one deployed to. */
function liveFact(bg: NonNullable<Plan['blueGreen']>, result: Result): string {
  const created = result === 'dry-run' ? 'to be created' : 'created'
  const twin = bg.create ? `; idle ${bg.idleName} ${created} as its clone` : `; idle ${bg.idleName}`
  return `${bg.live.name} (${bg.liveCname.host}, not changed)${twin}`
}

/** blue/green: what a headline adds, the live one kept as it is until the swap. */
const pairNote = (plan: Plan) =>
  plan.blueGreen
    ? ` ${plan.blueGreen.live.name} stays live at ${plan.blueGreen.liveCname.host} until the swap (swap-environments).`
    : ''

/** A twin this run created, which stays whatever else failed: the next run deploys to it. */
function twinLeft(run: DeployRun, env: EnvironmentInfo | undefined): string | undefined {
  const twin = run.plan?.blueGreen?.create
  if (!twin || env?.name !== twin.name || !env.id) return undefined
  return `The idle twin ${twin.name} (${env.id}) was created at ${env.cname ?? twin.host} and stays: the next run finds it and deploys to it (terminate it in the console if it is not wanted).`
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
  if (retention.deleted.length > 0) return `${retention.deleted.length} (listed below)`
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
