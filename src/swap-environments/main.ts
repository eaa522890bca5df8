import * as core from '@actions/core'
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { EventLog } from '../common/events.js'
import { phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { Action } from '../common/run.js'
import { SwapGateway, type Environment } from './beanstalk.js'
import { follow, waitForDns, type Follow } from './follow.js'
import { readInputs, type Inputs } from './inputs.js'
import { decide, describePlan, resolve, terminateRefusal, type Decision } from './plan.js'
import { report, type SwapRun } from './report.js'
import { swap, terminateIdle } from './swap.js'

export interface Dependencies {
  clock: Clock
  client: ElasticBeanstalkClient
}

/** inputs → look up the pair → decide (wait out a swap under way) → swap → follow → DNS → terminate idle → report. */
export function swapEnvironments(deps: Partial<Dependencies> = {}): Action<SwapRun> {
  const { clock = systemClock } = deps
  return {
    record: () => ({}),
    main: async record => {
      const inputs = (record.inputs = readInputs())
      const deadline = (record.deadline = new Deadline(inputs.timeoutMs, clock))
      const gateway = new SwapGateway(inputs.region, deps.client, clock)
      const f: Follow = {
        gateway,
        application: inputs.application,
        names: inputs.pair.names,
        deadline,
        events: new EventLog()
      }
      // the events as they come (the log's own array): the report has them whatever happens
      record.events = f.events.all
      await gateway.within(deadline, () => story(record, inputs, f))
    },
    report: async (record, error) => report(record, error)
  }
}

async function story(record: SwapRun, inputs: Inputs, f: Follow): Promise<void> {
  const decision = await phase('Look up the pair', () => lookUp(record, inputs, f))
  await phase('Plan', async () => describePlan(inputs, decision).forEach(line => core.info(line)))
  record.decision = decision.kind
  if (decision.kind === 'refuse') throw decision.error
  if (inputs.dryRun || decision.kind === 'wait') return
  if (decision.kind === 'swap') {
    const done = await phase('Swap the CNAMEs', () => swap(f, inputs, decision))
    record.after = { live: done.live, idle: done.idle }
    record.swapped = true
    record.swapRequests = done.requests
    if (inputs.waitForDns) {
      record.dnsWaitedMs = await phase('Wait for DNS', () =>
        waitForDns(f.deadline, done.at, inputs.liveCname.host)
      )
    }
  }
  const idle = record.after?.idle ?? decision.idle
  if (inputs.idleAfterSwap === 'terminate' && idle) {
    const refusal = decision.kind === 'already-live' ? terminateRefusal(inputs, decision.live) : undefined
    if (refusal) throw refusal
    record.terminated = await phase(`Terminate ${idle.name}`, () => terminateIdle(f, idle))
  }
}

/**
 * Reads who holds live-cname and decides; a pair with a swap (or another update) under way is followed until it
 * settles, then read and decided again, so that a retried step never swaps twice.
 */
async function lookUp(record: SwapRun, inputs: Inputs, f: Follow): Promise<Decision> {
  const first = await f.gateway.environments(inputs.application, inputs.pair.names)
  let decision = decide(inputs, resolve(inputs, first))
  record.before = { live: decision.live, idle: decision.idle }
  while (decision.kind === 'wait' && !inputs.dryRun) {
    core.info(
      `${decision.busy.map(e => `${e.name} is ${e.status}`).join('; ')}: waiting until it is done before deciding.`
    )
    const envs = await follow(f, 'the pair to settle', new Date(f.deadline.clock.now()), settledPair)
    decision = decide(inputs, resolve(inputs, envs))
    record.before = { live: decision.live, idle: decision.idle }
  }
  record.after = record.before
  return decision
}

const settledPair = (envs: Environment[]) =>
  envs.some(e => e.status === 'Updating' || e.status === 'Launching') ? undefined : envs
