import * as core from '@actions/core'
import { formatDuration } from '../common/format.js'
import { phase, setOutputs, startSummary, writeSummary } from '../common/log.js'
import { systemClock, type Clock } from '../common/retry.js'
import { checkUrls, type CheckResult } from './check.js'
import { maskSecrets } from './evidence.js'
import { describeExpectations } from './expectations.js'
import { CACHE_BUSTER, fetchProbe, MAX_REDIRECTS, type Probe } from './http.js'
import { readInputs, type Inputs } from './inputs.js'
import { PACING } from './pacing.js'
import { outputsWithoutResult, report } from './report.js'

export interface Dependencies {
  probe: Probe
  clock: Clock
}

/** inputs → plan → check (every URL until it passes or the time is up) → report. */
export async function run(deps: Partial<Dependencies> = {}): Promise<void> {
  const { probe = fetchProbe(), clock = systemClock } = deps
  const inputs = readInputs()
  await phase('Plan', async () => describePlan(inputs).forEach(line => core.info(line)))
  const started = clock.now()
  let check: CheckResult
  try {
    check = await phase(
      `Check ${inputs.urls.length === 1 ? inputs.urls[0] : `${inputs.urls.length} URLs`}`,
      () => checkUrls(inputs, { probe, clock, log: line => core.info(maskSecrets(line)) })
    )
  } catch (error) {
    // A bug of ours: still every output and a summary line, then runAction shows the error.
    setOutputs({ ...outputsWithoutResult(inputs.urls, clock.now() - started) })
    startSummary('Site check').addRaw(
      `❌ The check stopped after ${formatDuration(clock.now() - started)}: ${String(error)}`,
      true
    )
    await writeSummary()
    throw error
  }
  await report(check, inputs)
}

function describePlan(inputs: Inputs): string[] {
  return [
    `URL:       ${inputs.urls.join('\n           ')}`,
    `Expect:    ${describeExpectations(inputs.expectations).join('; ')}`,
    `Timeout:   ${formatDuration(inputs.timeoutMs)}; 5xx, 429 and no answer are retried until then, a definite wrong answer for ${formatDuration(Math.min(PACING.settleMs, inputs.timeoutMs))}`,
    `Redirects: ${inputs.followRedirects ? `followed (HTTPS only, at most ${MAX_REDIRECTS})` : 'not followed: a 3xx answer is judged as it is'}`,
    `Requests:  GET with Cache-Control: no-cache and a unique ${CACHE_BUSTER} query parameter (past CloudFront's and any cache), ${formatDuration(PACING.requestTimeoutMs)} each at most`
  ]
}
