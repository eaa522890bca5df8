import { explain } from '../common/failure.js'
import type { BeanstalkEvent } from '../common/events.js'
import { formatEvent } from '../common/events.js'
import { formatDuration } from '../common/format.js'
import type { Deadline } from '../common/retry.js'
import { declareOutputs } from '../common/run.js'
import { fenced, writeLayout, type SummaryLayout, type Tone } from '../common/summary.js'
import { beanstalkConsoleUrl } from '../common/aws.js'
import type { Environment } from './beanstalk.js'
import type { Inputs } from './inputs.js'
import { CNAME_TTL_MS, type Decision } from './plan.js'

/** The run record: what the story has learnt, for the one report. */
export interface SwapRun {
  inputs?: Inputs
  deadline?: Deadline
  /** The pair as first found (live and idle by who held live-cname). */
  before?: { live: Environment; idle?: Environment }
  decision?: Decision['kind']
  /** The pair as it stands at the end, when known. */
  after?: { live: Environment; idle?: Environment }
  swapped?: boolean
  /** SwapEnvironmentCNAMEs requests sent. */
  swapRequests?: number
  dnsWaitedMs?: number
  /** TerminateEnvironment's answer for the idle environment. */
  terminated?: string
  events?: readonly BeanstalkEvent[]
}

/** The outputs of actions/swap-environments/action.yml, each written on every exit. */
export const outputs = declareOutputs([
  'live-environment-name',
  'idle-environment-name',
  'swapped',
  'live-version-label',
  'idle-version-label'
])

const envLink = (inputs: Inputs, env: Environment | undefined) =>
  env ? `[${env.name}](${beanstalkConsoleUrl(inputs.region, env.id, inputs.application)})` : undefined

function headline(record: SwapRun, inputs: Inputs, error: unknown): { tone: Tone; text: string } {
  const pair = record.after ?? record.before
  const host = `\`${inputs.liveCname.host}\``
  const live = pair ? `**${pair.live.name}** (\`${pair.live.versionLabel ?? 'no version'}\`)` : undefined
  if (error !== undefined) {
    const kind = explain(error).kind
    const state = record.swapped
      ? `The swap succeeded (${live} holds ${host}), then the step failed.`
      : record.decision === 'swap' && !inputs.dryRun
        ? `The swap did not finish: see Why; ${host} is held by whichever environment Beanstalk shows now.`
        : `Nothing was swapped${live ? `: ${live} still holds ${host}` : ''}.`
    return { tone: kind === 'timeout' ? 'timeout' : 'failure', text: state }
  }
  if (inputs.dryRun) return { tone: 'dry-run', text: `Dry run: ${live} holds ${host}; nothing was changed.` }
  if (!record.swapped) {
    return { tone: 'success', text: `Nothing to swap: ${live} already holds ${host}.` }
  }
  const idle = pair?.idle
  return {
    tone: 'success',
    text: `The live CNAME ${host} now points to ${live}${idle ? `; ${idle.name} (\`${idle.versionLabel ?? 'no version'}\`) is idle${record.terminated ? ` and ${record.terminated}` : ', one swap away'}` : ''}.`
  }
}

/** The job summary in the shared layout (pure). */
export function summary(record: SwapRun, inputs: Inputs, error: unknown): SummaryLayout {
  const { tone, text } = headline(record, inputs, error)
  const explained = error === undefined ? undefined : explain(error)
  const pair = record.after ?? record.before
  return {
    title: 'Blue/green swap',
    tone,
    headline: text,
    why: explained ? [explained.reason] : undefined,
    whatToDo: explained
      ? [
          explained.fix ??
            `Look at the pair in the [Beanstalk console](${beanstalkConsoleUrl(inputs.region, undefined, inputs.application)}), then run this step again: it reads who holds the live CNAME first.`
        ]
      : undefined,
    facts: [
      ['Application', inputs.application],
      [
        'Live',
        pair &&
          `${envLink(inputs, pair.live)}: ${pair.live.versionLabel ?? 'no version'}, ${pair.live.health}`
      ],
      [
        'Idle',
        pair?.idle &&
          `${envLink(inputs, pair.idle)}: ${pair.idle.versionLabel ?? 'no version'}, ${pair.idle.health}`
      ],
      [
        'Swapped',
        record.swapped
          ? `yes${(record.swapRequests ?? 1) > 1 ? ` (sent ${record.swapRequests} times: a lost reply was checked first)` : ''}`
          : 'no'
      ],
      ['Expected version', inputs.expectVersionLabel],
      ['Required health', inputs.requiredHealth],
      [
        'DNS',
        record.swapped
          ? `CNAME TTL ${CNAME_TTL_MS / 1000} s; ${record.dnsWaitedMs !== undefined ? `waited ${formatDuration(record.dnsWaitedMs)}` : 'not waited for (wait-for-dns: false)'}`
          : undefined
      ],
      ['Idle after swap', record.terminated ? `terminate: ${record.terminated}` : inputs.idleAfterSwap],
      ['Duration', record.deadline ? formatDuration(record.deadline.elapsed()) : undefined]
    ],
    details: record.events?.length
      ? [
          {
            title: `Beanstalk events (${record.events.length})`,
            body: fenced(record.events.map(e => `${e.environmentName ?? ''} ${formatEvent(e)}`))
          }
        ]
      : undefined
  }
}

/** The one exit report: every output, and the summary. Refused inputs report nothing (their error is the report). */
export async function report(record: SwapRun, error: unknown): Promise<void> {
  const { inputs } = record
  if (!inputs) return
  const pair = record.after ?? record.before
  outputs.write({
    'live-environment-name': pair?.live.name,
    'idle-environment-name': pair?.idle?.name,
    swapped: record.swapped ?? false,
    'live-version-label': pair?.live.versionLabel,
    'idle-version-label': pair?.idle?.versionLabel
  })
  await writeLayout(summary(record, inputs, error))
}
