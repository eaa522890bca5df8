import { explain } from '../common/failure.js'
import { markdownTable, setOutputs, startSummary, writeSummary } from '../common/log.js'
import { formatDuration } from '../common/format.js'
import { beanstalkConsoleUrl } from '../common/aws.js'
import type { EnvironmentInfo } from './aws/beanstalk.js'
import type { BeanstalkEvent } from './follow/events.js'
import type { Inputs } from './inputs.js'
import type { Plan } from './plan.js'
import { environmentUrl, report, type Outcome, type Result, type RollbackReport } from './report.js'

/**
 * What the run has learnt and done so far, kept up to date as it goes, so that whatever ends the step —
 * success, dry run, a failure, a timeout, a bug — is reported once, from here, with every output it knows.
 */
export interface RunState {
  inputs: Inputs
  /** The environment as last seen. */
  environment?: EnvironmentInfo
  plan?: Plan
  /** The version with the plan's label exists in Beanstalk (created by this run, or found). */
  versionExists: boolean
  /** This run created the version (for "what was left behind"). */
  versionCreated: boolean
  uploadedBytes: number
  /** An UpdateEnvironment for our label was accepted. */
  updateRequested: boolean
  events: BeanstalkEvent[]
  rollback?: RollbackReport
  /** How the configuration change went out, when there was one (e.g. "with the version"). */
  configurationApplied?: string
  /** Set by a path that knows its own result (a timeout); otherwise a failure is `failed`. */
  result?: Result
  /** platform: how the platform change went out, when there was one */
  platformApplied?: string
}

export function newRunState(inputs: Inputs): RunState {
  return {
    inputs,
    versionExists: false,
    versionCreated: false,
    uploadedBytes: 0,
    updateRequested: false,
    events: []
  }
}

/** What a failure left in AWS, in plain words, for the reason shown. */
export function leftBehind(state: RunState, result: Result = 'failed'): string | undefined {
  const plan = state.plan
  if (!plan) return undefined
  // the update's own outcome says it, unless the step's timeout stopped the run first (no call-budget slot)
  if (state.updateRequested)
    return result === 'timed-out' && state.result === undefined
      ? `The update of ${plan.environment} to ${plan.label} was started and may still be running.`
      : undefined
  if (state.versionCreated) {
    return `Version ${plan.label} was created but not deployed: deploy it later with version-label: ${plan.label}, or delete it (aws elasticbeanstalk delete-application-version --application-name ${plan.application} --version-label ${plan.label} --delete-source-bundle).`
  }
  return 'Nothing was changed in Beanstalk.'
}

/**
 * The one report: outputs and the job summary for every exit after the inputs were read. `outcome` on
 * success (or a dry run); `error` on any failure, whose plain explanation becomes the reason.
 */
export async function reportExit(
  state: RunState,
  end: { outcome: Outcome } | { error: unknown; durationMs: number }
): Promise<void> {
  if ('outcome' in end) {
    if (state.plan) await report(state.plan, end.outcome)
    return
  }
  const explained = explain(end.error)
  // a path that knows its result set it; else the step's timeout (a UserError on `timeout`) is a timeout
  const result = state.result ?? (explained.kind === 'timeout' ? 'timed-out' : 'failed')
  const debris = leftBehind(state, result)
  const reason = `${explained.title}: ${explained.message}${debris && !explained.message.includes(debris) ? ` ${debris}` : ''}`
  if (state.plan) {
    await report(state.plan, {
      result,
      deployed: false,
      environment: state.environment,
      events: state.events,
      reason,
      rollback: state.rollback,
      durationMs: end.durationMs,
      uploadedBytes: state.uploadedBytes,
      configurationApplied: state.configurationApplied,
      platformApplied: state.platformApplied, // platform
      versionExists: state.versionExists || state.plan.mode === 'redeploy'
    })
    return
  }
  // Stopped before a plan (look-up, bundle): what is known of the environment, and why.
  const { inputs } = state
  const env = state.environment
  setOutputs({
    'version-label': undefined,
    'previous-version-label': env?.versionLabel,
    'environment-url': environmentUrl(env),
    'environment-id': env?.id,
    health: env?.health,
    'bundle-sha256': undefined,
    deployed: false,
    'platform-arn': env?.platformArn, // platform
    'previous-platform-arn': env?.platformArn
  })
  const text = startSummary(
    `Elastic Beanstalk: ${result === 'timed-out' ? '⏱️ Timed out' : '❌ Deployment failed'}`
  )
  text.addRaw(
    markdownTable([
      ['Application', inputs.application],
      ['Environment', env ? `${inputs.environment} (${env.id})` : inputs.environment],
      ['Region', inputs.region],
      ['Running version', env?.versionLabel],
      ['Health', env?.health],
      ['Duration', formatDuration(end.durationMs)],
      [
        'Console',
        `[Open in the AWS console](${beanstalkConsoleUrl(inputs.region, env?.id, inputs.application)})`
      ]
    ])
  )
  text.addEOL().addRaw(`**Why:** ${reason} Nothing was changed in Beanstalk.`, true)
  await writeSummary()
}
