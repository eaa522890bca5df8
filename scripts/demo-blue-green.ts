/**
 * The demo's blue/green stories (npm run demo -- --scenario blue-green | blue-green-swap-back), the reusable
 * workflow's `strategy: blue-green` path with the real bundles: deploy-beanstalk deploys to the idle environment of
 * the pair (the first release creates the twin as a clone of the live one), check-url checks it on its own URL,
 * swap-environments swaps the CNAMEs, invalidate-cloudfront clears the CDN, check-url checks the live site, and a
 * failed live check swaps back. The site stand-in answers, on `/`, with the version of whichever environment holds
 * the live CNAME (as CloudFront would, its origin being that CNAME), and on `/env/<name>/` with that environment's
 * own (its own URL, http://<its CNAME>/, which does not resolve offline).
 */
import type { Route, Sandbox, SandboxScenario, UpdateScript } from '../sandbox/index.js'
import { bold, dim, green, red, yellow } from './render.js'

export const BG_APP = 'BrillianCRM'
export const BG_ENV = 'BrillianCRM-env'
export const BG_TWIN = 'BrillianCRM-env-twin'
const LIVE_PREFIX = 'brilliancrm'
const LIVE_HOST = `${LIVE_PREFIX}.eu-central-1.elasticbeanstalk.com`
const INITIAL = 'v0-initial'
/** How long a twin takes to launch and a swap to end, on the sandbox's clock (which they move on by as much) */
export const BG_LAUNCH_MS = 2000
export const BG_SWAP_MS = 1000

/** The pair in the sandbox: BrillianCRM-env live (it holds brilliancrm…), its twin made by the first release. */
export function blueGreenScenario(update: UpdateScript): SandboxScenario {
  return {
    name: 'demo-blue-green',
    processingMs: 0,
    launchMs: BG_LAUNCH_MS,
    swapMs: BG_SWAP_MS,
    applications: [
      {
        name: BG_APP,
        region: 'eu-central-1',
        versions: [{ label: INITIAL, description: 'Initial version' }],
        environments: [{ name: BG_ENV, versionLabel: INITIAL, cname: LIVE_HOST, update }]
      }
    ],
    distributions: [
      {
        id: 'E2CRM000000001',
        aliases: ['brilliancrm.com', 'www.brilliancrm.com'],
        originDomainName: LIVE_HOST,
        invalidationMs: 0
      }
    ]
  }
}

const page = (version: string | undefined) => ({
  status: 200,
  body: `<h1>BrillianCRM</h1><p>version ${version ?? 'unknown'}</p>`
})

/**
 * The site's routes. `brokenBehindDomain`: a new version answers 500 through the domain (its allowed hosts lack
 * brilliancrm.com) but 200 on its own URL: the idle check passes, the live check fails.
 */
export function blueGreenRoutes(
  sandbox: () => Sandbox | undefined,
  brokenBehindDomain: boolean
): Record<string, Route> {
  const env = (name: string) => sandbox()?.environment(name)
  const own =
    (name: string): Route =>
    () =>
      page(env(name)?.versionLabel)
  return {
    '/': () => {
      const live = [BG_ENV, BG_TWIN].map(env).find(e => e?.cname === LIVE_HOST && e.status !== 'Terminated')
      if (brokenBehindDomain && live?.versionLabel !== INITIAL) {
        return {
          status: 500,
          body: `<h1>500 Internal Server Error</h1><p>demo-app ${live?.versionLabel}: Invalid HTTP_HOST header: 'brilliancrm.com' (ALLOWED_HOSTS lacks it)</p>`
        }
      }
      return page(live?.versionLabel)
    },
    [`/env/${BG_ENV}/`]: own(BG_ENV),
    [`/env/${BG_TWIN}/`]: own(BG_TWIN)
  }
}

export type RunStep = (
  title: string,
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  workspace: string
) => Promise<{ code: number | null; outputs: Record<string, string> }>

export interface BlueGreenContext {
  runStep: RunStep
  sandbox: Sandbox
  siteOrigin: string
  env: Record<string, string>
  workspace: string
  /** the image by digest (what verify-package-public verified) */
  image: string
  invalidate: Record<string, string>
  /** after a deploy step: the sandbox's clock back to real time (CloudFront's dates) */
  catchUp: () => void
}

/** One release through the pair; true when it succeeded. */
async function release(
  ctx: BlueGreenContext,
  n: number,
  sha: string,
  swapBackOnFailure: boolean
): Promise<boolean> {
  const { runStep, env, workspace } = ctx
  console.log('\n' + bold(`■ Release ${n}`) + dim(` (commit ${sha.slice(0, 7)})`))
  const releaseEnv = { ...env, GITHUB_SHA: sha }
  const deploy = await runStep(
    `${n}.1 deploy-beanstalk (strategy: blue-green): the idle environment only`,
    'deploy-beanstalk',
    {
      'application-name': BG_APP,
      'environment-name': BG_ENV,
      strategy: 'blue-green',
      'live-cname': LIVE_PREFIX,
      region: 'eu-central-1',
      'compose-file': 'docker-compose.yml',
      image: ctx.image,
      timeout: '40s'
    },
    releaseEnv,
    workspace
  )
  ctx.catchUp()
  const label = deploy.outputs['version-label']
  const idle = deploy.outputs['idle-environment-name']
  if (deploy.code !== 0 || !label || !idle) return false
  const ownUrl = `${ctx.siteOrigin}/env/${idle}/`
  console.log(dim(`  ${idle}'s own URL is ${deploy.outputs['environment-url']}/ (offline: ${ownUrl})`))
  const idleCheck = await runStep(
    `${n}.2 check-url: does ${idle} answer on its own URL, before any visitor is sent to it?`,
    'check-url',
    { url: ownUrl, 'expect-text': `version ${label}`, timeout: '1.5s' },
    releaseEnv,
    workspace
  )
  if (idleCheck.code !== 0) return false
  const swap = await runStep(
    `${n}.3 swap-environments: ${idle} takes ${LIVE_PREFIX}`,
    'swap-environments',
    {
      'application-name': BG_APP,
      'environment-name': BG_ENV,
      'live-cname': LIVE_PREFIX,
      'expect-version-label': label,
      // the demo does not wait out the 60 s DNS TTL (the workflow does)
      'wait-for-dns': 'false',
      timeout: '30s'
    },
    releaseEnv,
    workspace
  )
  if (swap.code !== 0) return false
  const invalidate = await runStep(
    `${n}.4 invalidate-cloudfront`,
    'invalidate-cloudfront',
    ctx.invalidate,
    releaseEnv,
    workspace
  )
  if (invalidate.code !== 0) return false
  const live = await runStep(
    `${n}.5 check-url: does the live site answer with ${label}?`,
    'check-url',
    { url: `${ctx.siteOrigin}/`, 'expect-text': `version ${label}`, timeout: '1.5s' },
    releaseEnv,
    workspace
  )
  if (live.code === 0) return true
  if (!swapBackOnFailure) return false
  const previous = swap.outputs['idle-version-label']
  const back = await runStep(
    `${n}.6 swap-environments: swap back, ${swap.outputs['idle-environment-name']} (${previous}) takes ${LIVE_PREFIX} again`,
    'swap-environments',
    {
      'application-name': BG_APP,
      'environment-name': BG_ENV,
      'live-cname': LIVE_PREFIX,
      'expect-version-label': previous,
      'required-health': 'Yellow',
      'wait-for-dns': 'false',
      timeout: '30s'
    },
    releaseEnv,
    workspace
  )
  if (back.code === 0) {
    await runStep(
      `${n}.7 invalidate-cloudfront again after the swap back`,
      'invalidate-cloudfront',
      ctx.invalidate,
      releaseEnv,
      workspace
    )
  }
  console.log(
    '\n' +
      red(
        `  ✗ ${label} failed the live check after the swap; ${back.code === 0 ? `swapped back: ${previous} is live again` : 'the swap back failed too'} (the run fails)`
      )
  )
  return false
}

/** The story of a scenario; returns whether the workflow would have failed. */
export async function blueGreenStory(
  ctx: BlueGreenContext,
  kind: 'releases' | 'swap-back'
): Promise<boolean> {
  const shas = ['b1e0b1e0b1e0b1e0b1e0b1e0b1e0b1e0b1e0b1e0', 'c2f1c2f1c2f1c2f1c2f1c2f1c2f1c2f1c2f1c2f1']
  let ok = await release(ctx, 1, shas[0], kind === 'swap-back')
  if (ok && kind === 'releases') {
    console.log('\n' + yellow('The pair is now the other way round: the next release goes to the other one.'))
    ok = await release(ctx, 2, shas[1], false)
  }
  for (const name of [BG_ENV, BG_TWIN]) {
    const e = ctx.sandbox.environment(name)
    if (!e) continue
    const holds = e.cname.startsWith(`${LIVE_PREFIX}.`) ? green(' ← live') : dim(' (idle)')
    console.log(
      bold(`${name}: `) + `${e.status}, ${e.health}, ${e.versionLabel ?? 'no version'}, ${e.cname}` + holds
    )
  }
  return !ok
}
