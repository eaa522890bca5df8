import * as core from '@actions/core'
import { formatDuration } from '../common/format.js'
import { phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { Action } from '../common/run.js'
import { addSecret } from '../common/secrets.js'
import { readInputs, type Inputs } from './inputs.js'
import { lookUpPackage, type ApiResult } from './packages.js'
import { pullWithRetry } from './pull.js'
import { isLoopbackHost } from '../common/url.js'
import { isGhcrLike, registryBaseUrl } from './reference.js'
import type { Fetch } from './registry.js'
import { announce, report, type VerifyRun } from './report.js'
import { formatPlatform } from './platform.js'
import { decide, describePlatforms } from './verdict.js'

export interface Dependencies {
  fetch: Fetch
  clock: Clock
  env: NodeJS.ProcessEnv
}

/** How the GitHub packages API will be asked, or why it will not be. */
type ApiPlan = { ask: true; apiUrl: string; token: string } | { ask: false; reason: string; notice?: string }

/** inputs → plan → anonymous pull (retried while a push settles) → API diagnosis → verdict → report. */
export function verifyPackagePublic(deps: Partial<Dependencies> = {}): Action<VerifyRun> {
  const { fetch: http = fetch, clock = systemClock, env = process.env } = deps
  return {
    record: () => ({}),
    main: async record => {
      const inputs = (record.inputs = readInputs())
      addSecret(inputs.token)
      const apiPlan = planApi(inputs, env)
      await phase('Plan', async () => describePlan(inputs, apiPlan).forEach(line => core.info(line)))
      if (!apiPlan.ask && apiPlan.notice) core.notice(apiPlan.notice, { title: 'Package visibility' })
      const deadline = new Deadline(inputs.timeoutMs, clock)
      const pull = await phase(`Pull ${inputs.image.display} without credentials`, async () => {
        const result = await pullWithRetry(inputs.image, deadline, http)
        core.info(
          result.kind === 'pullable'
            ? `Pullable: ${result.digest}${result.mediaType ? ` (${result.mediaType})` : ''}.${result.platforms ? ` Platforms: ${describePlatforms(result.platforms)}.` : ''}`
            : result.kind === 'denied'
              ? `Refused: ${result.detail}.`
              : `Not found after ${formatDuration(result.waitedMs)}: ${result.detail}.`
        )
        return result
      })
      // the packages API through @actions/github's own (proxy-aware) fetch unless one was injected
      const api = await diagnose(inputs, apiPlan, deps.fetch)
      const verdict = (record.verdict = decide({
        image: inputs.image,
        pull,
        api,
        failOnPrivate: inputs.failOnPrivate,
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        platforms: inputs.platforms
      }))
      announce(verdict)
    },
    report
  }
}

/**
 * The packages API describes GHCR (and loopback stand-ins for it, as under act or in tests); it needs a token,
 * which is only ever sent over HTTPS (or to this machine).
 */
function planApi(inputs: Inputs, env: NodeJS.ProcessEnv): ApiPlan {
  const { image, token } = inputs
  if (!isGhcrLike(image)) {
    return {
      ask: false,
      reason: `${image.registry} is not GitHub's registry`,
      notice: `${image.registry} is not ghcr.io: the GitHub packages API diagnosis is GHCR-only, so the anonymous pull check alone decides.`
    }
  }
  if (!token) return { ask: false, reason: 'no `token` was given' }
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com'
  let url: URL
  try {
    url = new URL(apiUrl)
  } catch {
    return { ask: false, reason: `GITHUB_API_URL is not a URL (${apiUrl})` }
  }
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    return {
      ask: false,
      reason: `GITHUB_API_URL (${url.origin}) is not HTTPS; the token is not sent over plain HTTP`
    }
  }
  return { ask: true, apiUrl, token }
}

function describePlan(inputs: Inputs, apiPlan: ApiPlan): string[] {
  const { image } = inputs
  return [
    `Image:     ${image.display}`,
    `Registry:  ${registryBaseUrl(image)} (${image.loopback ? 'loopback: plain HTTP' : 'HTTPS'})`,
    `Check:     an anonymous pull of the manifest, as Elastic Beanstalk does it; "not found" retried for up to ${formatDuration(inputs.timeoutMs)}`,
    apiPlan.ask
      ? `Diagnosis: the GitHub packages API at ${apiPlan.apiUrl} (${image.owner}/${image.name})`
      : `Diagnosis: none (${apiPlan.reason}); the pull check decides`,
    `Platforms: ${inputs.platforms.map(formatPlatform).join(', ')} (each must be in the image)`,
    `Private:   ${inputs.failOnPrivate ? 'fails the step' : 'a warning (fail-on-private: false)'}`
  ]
}

async function diagnose(inputs: Inputs, apiPlan: ApiPlan, http: Fetch | undefined): Promise<ApiResult> {
  if (!apiPlan.ask || inputs.image.owner === undefined) {
    return { kind: 'unavailable', reason: apiPlan.ask ? 'no owner in the reference' : apiPlan.reason }
  }
  const { owner, name } = inputs.image
  return await phase(`Ask GitHub about the package ${owner}/${name}`, async () => {
    const result = await lookUpPackage(owner, name, {
      apiUrl: apiPlan.apiUrl,
      token: apiPlan.token,
      requestTimeoutMs: 10_000,
      fetch: http
    })
    core.info(
      result.kind === 'found'
        ? `Visibility: ${result.visibility} (${result.ownerType === 'orgs' ? 'organisation' : 'user'} package).`
        : result.kind === 'missing'
          ? 'The packages API does not know this package (as an organisation or a user package).'
          : result.kind === 'refused'
            ? `The packages API refused the token (${result.status}).`
            : `No answer: ${result.reason}.`
    )
    if (result.kind === 'unavailable') {
      core.warning(
        `${result.reason}: the package's visibility is not known; the anonymous pull check decides.`,
        {
          title: 'Package visibility'
        }
      )
    }
    return result
  })
}
