import { explain } from '../common/failure.js'
import { declareOutputs } from '../common/run.js'
import { writeLayout } from '../common/summary.js'
import type { EnvironmentInfo } from './aws/beanstalk.js'
import type { PreparedBundle } from './bundle/index.js'
import type { FailureLogs } from './diagnostics/index.js'
import type { Inputs } from './inputs.js'
import type { Plan } from './plan.js'
import { deploySummary, environmentUrl } from './summary.js'
import type { BeanstalkEvent } from './update/events.js'
import type { UpdateOutcome } from './update/index.js'
import type { Uploaded } from './versions/create.js'

/**
 * How the run ended, told once: the outputs and the job summary (summary.ts), whatever happened, from the run
 * record that main.ts fills with the facts its steps return. A new fact is a field of the record and an output
 * here or a fact of the summary.
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
  'environment-name',
  'live-environment-name',
  'idle-environment-name',
  'logs-file'
] as const)

export type Result = 'deployed' | 'failed' | 'timed-out' | 'dry-run' | 'requested'

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
    // the environment deployed to (blue/green: the idle one), and the pair as found
    'environment-name': plan?.environment ?? (inputs.blueGreen ? undefined : inputs.environment),
    'live-environment-name': plan?.blueGreen?.live.name,
    'idle-environment-name': plan?.blueGreen?.idleName,
    'logs-file': run.logs?.file
  })
  const layout = deploySummary(run, { result, error, environment, labelled, durationMs: now - run.started })
  if (layout) await writeLayout(layout)
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
