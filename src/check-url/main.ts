import * as core from '@actions/core'
import { formatDuration } from '../common/format.js'
import { phase, startSummary, writeSummary } from '../common/log.js'
import type { Action } from '../common/run.js'
import { systemClock, type Clock } from '../common/retry.js'
import { checkUrls, type CheckResult } from './check.js'
import { maskSecrets } from './evidence.js'
import { describeExpectations } from './expectations.js'
import { fetchProbe, type Probe } from './http.js'
import { readInputs, type Inputs } from './inputs.js'
import { PACING } from './pacing.js'
import { MAX_REDIRECTS, redirectRule } from './redirects.js'
import { outputs, outputsWithoutResult, report } from './report.js'
import { CACHE_BUSTER } from './request-url.js'

export interface Dependencies {
  probe: Probe
  clock: Clock
}

/** The run record: what the story has learnt, for the one report. */
export interface CheckRun {
  inputs?: Inputs
  started?: number
  check?: CheckResult
}

/** inputs → plan → check (every URL until it passes or the time is up) → report. */
export function checkUrl(deps: Partial<Dependencies> = {}): Action<CheckRun> {
  const { probe = fetchProbe(), clock = systemClock } = deps
  return {
    record: () => ({}),
    main: async record => {
      const inputs = (record.inputs = readInputs())
      await phase('Plan', async () => describePlan(inputs).forEach(line => core.info(line)))
      record.started = clock.now()
      record.check = await phase(
        `Check ${inputs.urls.length === 1 ? inputs.urls[0] : `${inputs.urls.length} URLs`}`,
        () => checkUrls(inputs, { probe, clock, log: line => core.info(maskSecrets(line)) })
      )
    },
    report: async ({ inputs, started, check }, error) => {
      if (!inputs) return // the inputs were refused: their error is the whole report
      if (check) return report(check, inputs)
      // stopped before a result (a bug of ours): still every output and a summary line
      const elapsed = clock.now() - (started ?? clock.now())
      outputs.write(outputsWithoutResult(inputs.urls, elapsed))
      startSummary('Site check').addRaw(
        `❌ The check stopped after ${formatDuration(elapsed)}: ${String(error)}`,
        true
      )
      await writeSummary()
    }
  }
}

function describePlan(inputs: Inputs): string[] {
  return [
    `URL:       ${inputs.urls.join('\n           ')}`,
    `Expect:    ${describeExpectations(inputs.expectations).join('; ')}`,
    `Timeout:   ${formatDuration(inputs.timeoutMs)}; 5xx, 429 and no answer are retried until then, a definite wrong answer for ${formatDuration(Math.min(PACING.settleMs, inputs.timeoutMs))}`,
    `Redirects: ${inputs.followRedirects ? describeRedirects(inputs.urls) : 'not followed: a 3xx answer is judged as it is'}`,
    `Requests:  GET with Cache-Control: no-cache and a unique ${CACHE_BUSTER} query parameter (past CloudFront's and any cache), ${formatDuration(PACING.requestTimeoutMs)} each at most`
  ]
}

/** The redirect rules as they apply to these URLs (plain HTTP only between URLs on this machine). */
function describeRedirects(urls: string[]): string {
  const rules = [...new Set(urls.map(redirectRule))]
  if (rules.length === 1) return `followed (${rules[0]}, at most ${MAX_REDIRECTS})`
  return `followed (at most ${MAX_REDIRECTS}): to HTTPS only, and from the URLs on this machine also to plain HTTP on it`
}
