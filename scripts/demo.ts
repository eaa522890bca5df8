/**
 * `npm run demo [-- --scenario NAME]`: the reusable workflow's deploy job, offline, against local stand-ins.
 * Starts the AWS sandbox (Elastic Beanstalk, S3, CloudFront on 127.0.0.1), a GHCR stand-in (registry and
 * packages API) and the demo app's site (a small HTTP server on 127.0.0.1 standing in for the app behind
 * CloudFront: it answers with the version the sandbox's environment runs, and is the environment's CNAME), then
 * runs the real action bundles in the order .github/workflows/deploy.yml does:
 *   verify-package-public → deploy-beanstalk (examples/demo-app, pinned to the verified digest) →
 *   invalidate-cloudfront → check-url (the site answers with the new version)
 * showing their logs and each job summary; a failed step ends the run, as in the workflow, and a failed site
 * check with rollback-on-failure redeploys the previous version (deploy-beanstalk's redeploy path), invalidates
 * again and reports, as the workflow's steps after check-url do. Each scenario is one story (--help lists them).
 * The exit code is the workflow's: 0 when it succeeded, 1 when a step failed.
 * Everything started is stopped, and the temporary folders removed, at the end, on Ctrl-C and on SIGTERM.
 *
 * Durations are the shortest that still tell each story (Beanstalk takes minutes, the demo a few seconds), and
 * the sandbox's clock moves with the actions' calls rather than on timers (see sandbox/action-clock.ts), so each story plays
 * out the same way on a loaded machine.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import yauzl from 'yauzl'
import {
  actionDrivenClock,
  inputVariables,
  parseOutputFile,
  runnerEnvironment,
  startGhcrStub,
  startSandbox,
  startSite,
  type GhcrStub,
  type Sandbox,
  type SandboxScenario,
  type Site,
  type StubVisibility,
  type UpdateScript
} from '../sandbox/index.js'
import { bold, dim, green, red, renderLogLine, renderSummary, yellow } from './render.js'
import {
  BG_ENV,
  BG_LAUNCH_MS,
  BG_SWAP_MS,
  blueGreenRoutes,
  blueGreenScenario,
  blueGreenStory
} from './demo-blue-green.js'

const ROOT = resolve(import.meta.dirname, '..')
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const TAG = 'sha-d3e0d3e'

const INITIAL = 'v0-initial'
/** An environment property's value, as if set in the console: never shown, although the instances' logs print it. */
const DEMO_SIGNING_KEY = 'demo-signing-key-7f3a9c'
/** How long an update takes on the sandbox's clock (which UpdateEnvironment moves on by as much: see sandbox/action-clock.ts) */
const UPDATE_MS = 2000

interface DemoScenario {
  description: string
  visibility: StubVisibility
  update: UpdateScript
  /** the environment is busy with another deployment for this long after deploy-beanstalk creates the version */
  busyForMs?: number
  rollbackOnFailure?: boolean
  /** the new version's site answers 500 (the app is broken although Beanstalk says Green) */
  brokenSite?: boolean
  /** deploy-beanstalk's `platform` input (the environment starts on Docker on Amazon Linux 2023 v4.4.0) */
  platform?: string
  /** the blue/green path (demo-blue-green.ts): two releases through the pair, or one whose live check fails */
  blueGreen?: 'releases' | 'swap-back'
}

/** The shortest durations that still tell each story (Beanstalk takes minutes): the whole story in seconds. */
export const DEMO_SCENARIOS: Record<string, DemoScenario> = {
  happy: {
    description:
      'the image is public; the deploy ends Ready and Green; the CDN is cleared; the site answers (exit 0)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' }
  },
  'private-package': {
    description: 'the package is private: stopped before the deploy, with the settings link (exit 1)',
    visibility: 'private',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' }
  },
  'failed-deploy': {
    description:
      "the update fails on the instance: Beanstalk's own events, then the instances' logs (masked); the old version keeps running (exit 1)",
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'fail' }
  },
  rollback: {
    description:
      'the new version runs Red; rollback-on-failure redeploys the previous one, which runs Green (exit 1)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'red', healthyVersions: [INITIAL] },
    rollbackOnFailure: true
  },
  busy: {
    description: 'another deployment is still running: waited out, then deployed (exit 0)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' },
    busyForMs: 1500
  },
  'failed-check': {
    description:
      'Green, but the site answers 500: the check fails with its evidence, the previous version is redeployed (exit 1)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' },
    rollbackOnFailure: true,
    brokenSite: true
  },
  'platform-update': {
    description:
      'platform: latest: Amazon Linux 2023 v4.4.0 → v4.10.0 (the newest of its branch) with the new version, in one update; the site answers (exit 0)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' },
    platform: 'latest'
  },
  'blue-green': {
    description:
      'strategy: blue-green: the first release creates the twin and swaps to it, a second swaps back the other way; the live environment is never updated (exit 0)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' },
    blueGreen: 'releases'
  },
  'blue-green-swap-back': {
    description:
      'blue-green: the twin answers on its own URL, but the live check fails after the swap: swapped back, the old version answers again (exit 1)',
    visibility: 'public',
    update: { durationMs: UPDATE_MS, outcome: 'healthy' },
    blueGreen: 'swap-back'
  }
}

function usage(): string {
  const lines = Object.entries(DEMO_SCENARIOS).map(([name, s]) => `  ${name.padEnd(22)} ${s.description}`)
  return [
    'Usage: npm run demo [-- --scenario NAME] [--summaries DIR]',
    '',
    'Runs the deploy workflow (verify-package-public → deploy-beanstalk → invalidate-cloudfront → check-url) with',
    'the real action bundles against a local AWS sandbox, a GHCR stand-in and the demo app served on 127.0.0.1:',
    'offline, nothing real is touched.',
    '',
    "--summaries DIR also writes each step's job summary (Markdown) into DIR (npm run screenshots uses it).",
    '',
    'Scenarios (default: happy):',
    ...lines
  ].join('\n')
}

function sandboxScenario(demo: DemoScenario, site: Site): SandboxScenario {
  return {
    name: 'demo',
    processingMs: 0,
    applications: [
      {
        name: APP,
        region: 'eu-central-1',
        versions: [{ label: INITIAL, description: 'Initial version' }],
        environments: [
          {
            name: ENV,
            versionLabel: INITIAL,
            // the environment's URL is the demo app's site
            cname: new URL(site.origin).host,
            update: demo.update,
            // set in the console: the instances' logs print it, and deploy-beanstalk masks it (failed-deploy)
            environmentVariables: { APP_SIGNING_KEY: DEMO_SIGNING_KEY },
            ...(demo.busyForMs ? { status: 'Updating' as const, busyForMs: demo.busyForMs } : {})
          }
        ]
      }
    ],
    distributions: [
      {
        id: 'E2CRM000000001',
        aliases: ['brilliancrm.com', 'www.brilliancrm.com'],
        originDomainName: new URL(site.origin).host,
        invalidationMs: 0
      }
    ]
  }
}

/**
 * The S3 client, only needed once the deploy step is over: its import (half a second) starts with the first step
 * and runs beside it rather than before it.
 */
let s3Module: Promise<typeof import('@aws-sdk/client-s3')> | undefined
const loadS3 = () => (s3Module ??= import('@aws-sdk/client-s3'))

/** The docker-compose.yml inside the bundle Beanstalk was given (read back from the sandbox's S3). */
async function deployedCompose(sandbox: Sandbox, label: string): Promise<string | undefined> {
  const source = sandbox.version(APP, label)?.sourceBundle
  if (!source) return undefined
  const { GetObjectCommand, S3Client } = await loadS3()
  const s3 = new S3Client({
    region: 'eu-central-1',
    endpoint: sandbox.s3Url,
    forcePathStyle: true,
    credentials: {
      accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY
    }
  })
  const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }))
  const zip = Buffer.from(await object.Body!.transformToByteArray())
  s3.destroy()
  return await new Promise((done, fail) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return fail(error ?? new Error('not a zip'))
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'docker-compose.yml') return file.readEntry()
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error('no stream'))
          const chunks: Buffer[] = []
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('end', () => {
            file.close()
            done(Buffer.concat(chunks).toString('utf8'))
          })
        })
      })
      file.on('end', () => done(undefined))
      file.readEntry()
    })
  })
}

/** The demo app behind CloudFront: its home page names the version the environment runs. */
function appPage(demo: DemoScenario, version: string | undefined): { status: number; body: string } {
  if (demo.brokenSite && version !== INITIAL) {
    return {
      status: 500,
      body: `<h1>500 Internal Server Error</h1><p>demo-app ${version}: cannot connect to the database (DATABASE_URL is not set)</p>`
    }
  }
  return { status: 200, body: `<h1>BrillianCRM</h1><p>version ${version ?? 'unknown'}</p>` }
}

/** What is running and where, so Ctrl-C or SIGTERM can stop it all. */
interface Started {
  sandbox?: Sandbox
  ghcr?: GhcrStub
  site?: Site
  dirs: string[]
  child?: ChildProcess
}
const started: Started = { dirs: [] }

async function stopAll(): Promise<void> {
  const child = started.child
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>(done => child.once('exit', () => done()))
    child.kill('SIGTERM')
    await Promise.race([gone, new Promise(done => setTimeout(done, 3000).unref())])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  const { ghcr, sandbox, site } = started
  started.ghcr = started.sandbox = started.site = started.child = undefined
  await site?.close().catch(() => undefined)
  await ghcr?.close().catch(() => undefined)
  await sandbox?.close().catch(() => undefined)
  for (const dir of started.dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

interface StepResult {
  code: number | null
  outputs: Record<string, string>
}

/** --summaries DIR: each step's job summary is also written there, as 01-verify-package-public.md, … */
let summariesDir: string | undefined
let keptSummaries = 0

async function runStep(
  title: string,
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  workspace: string
): Promise<StepResult> {
  console.log('\n' + bold(`━━ ${title} `.padEnd(78, '━')))
  const dir = mkdtempSync(join(tmpdir(), `demo-${action}-`))
  started.dirs.push(dir)
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const childEnv = runnerEnvironment(dir, workspace, {
    GITHUB_REPOSITORY: 'imbit/demo-app',
    GITHUB_SHA: 'd3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0d3e0',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_JOB: action,
    ...env,
    ...inputVariables(inputs)
  })
  const node = process.env.ACTION_NODE || process.execPath
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(node, [join(ROOT, 'dist', action, 'index.js')], {
      env: childEnv,
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    started.child = child
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const shown = renderLogLine(line)
        if (shown !== undefined) console.log(shown)
      }
    })
    child.on('error', fail)
    child.on('close', exit => {
      if (pending) console.log(renderLogLine(pending) ?? '')
      done(exit)
    })
  })
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const summary = readFileSync(summaryFile, 'utf8')
  if (summary.trim() && summariesDir) {
    keptSummaries++
    writeFileSync(join(summariesDir, `${String(keptSummaries).padStart(2, '0')}-${action}.md`), summary)
  }
  if (summary.trim()) console.log('\n' + dim('  Job summary') + '\n' + renderSummary(summary))
  if (Object.keys(outputs).length > 0) {
    console.log('\n' + dim('  Outputs'))
    for (const [k, v] of Object.entries(outputs)) console.log(`    ${k} = ${v}`)
  }
  console.log(code === 0 ? green(`  ✓ ${action} succeeded`) : red(`  ✗ ${action} failed (exit ${code})`))
  rmSync(dir, { recursive: true, force: true })
  started.dirs = started.dirs.filter(d => d !== dir)
  return { code, outputs }
}

const INVALIDATE = { domain: 'brilliancrm.com', paths: '/*', wait: 'true', timeout: '1m' }

/**
 * What .github/workflows/deploy.yml does after a failed site check: with rollback-on-failure, redeploy the
 * previous version (deploy-beanstalk's redeploy path) and invalidate again; then report, and the run fails.
 */
async function afterFailedCheck(
  demo: DemoScenario,
  label: string,
  previous: string | undefined,
  check: Record<string, string>,
  env: Record<string, string>,
  workspace: string
): Promise<void> {
  let outcome: 'success' | 'failure' | 'skipped' = 'skipped'
  if (demo.rollbackOnFailure && previous && previous !== label) {
    const rollback = await runStep(
      `Roll back to the previous version: deploy-beanstalk redeploys ${previous}`,
      'deploy-beanstalk',
      {
        'application-name': APP,
        'environment-name': ENV,
        region: 'eu-central-1',
        'version-label': previous,
        'require-existing-version': 'true',
        timeout: '40s'
      },
      env,
      workspace
    )
    outcome = rollback.code === 0 ? 'success' : 'failure'
    if (outcome === 'success') {
      await runStep(
        'Invalidate CloudFront again after the rollback',
        'invalidate-cloudfront',
        INVALIDATE,
        env,
        workspace
      )
    }
  }
  console.log('\n' + bold(`━━ Report the failed site check `.padEnd(78, '━')))
  const what = `The site check failed after deploying ${label} to ${ENV} (${check.url || 'the URL'} answered ${check.status || 'nothing'}; details in the check-url step above).`
  const rollback = !demo.rollbackOnFailure
    ? `No rollback (rollback-on-failure is off): ${ENV} still runs ${label}.`
    : !previous || previous === label
      ? `No rollback: there is no previous version to return to; ${ENV} still runs ${label}.`
      : outcome === 'success'
        ? `Rolled back: ${ENV} runs ${previous} again.`
        : `The rollback to ${previous} failed too (see "Roll back to the previous version" above): check ${ENV} in the Beanstalk console.`
  console.log(renderLogLine(`::error title=Site check failed::${what} ${rollback}`))
  console.log(
    '\n' + dim('  Job summary') + '\n' + renderSummary(`### Site check failed\n${what}\n\n${rollback}\n`)
  )
  console.log(red('  ✗ the run fails (exit 1)'))
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'happy' },
      summaries: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    console.log(usage())
    return 0
  }
  summariesDir = values.summaries ? resolve(values.summaries) : undefined
  const name = values.scenario
  const demo = DEMO_SCENARIOS[name]
  if (!demo) {
    console.error(`Unknown scenario "${name}".\n\n${usage()}`)
    return 2
  }
  for (const action of [
    'verify-package-public',
    'deploy-beanstalk',
    'invalidate-cloudfront',
    'check-url',
    'swap-environments'
  ]) {
    if (!existsSync(join(ROOT, 'dist', action, 'index.js'))) {
      console.error(`dist/${action}/index.js is missing: run npm run build first.`)
      return 2
    }
  }
  started.site = await startSite(
    demo.blueGreen
      ? blueGreenRoutes(() => started.sandbox, demo.blueGreen === 'swap-back')
      : { '/': () => appPage(demo, started.sandbox?.environment(ENV)?.versionLabel) }
  )
  started.ghcr = await startGhcrStub({
    packages: [{ owner: 'imbit', name: 'demo-app', visibility: demo.visibility, tags: ['latest', TAG] }]
  })
  const clock = actionDrivenClock(demo.update.durationMs, { launchMs: BG_LAUNCH_MS, swapMs: BG_SWAP_MS })
  const spec = demo.blueGreen ? blueGreenScenario(demo.update) : sandboxScenario(demo, started.site)
  started.sandbox = await startSandbox(spec, {
    silent: true,
    now: clock.now,
    onRequest: clock.onRequest
  })
  const { sandbox, ghcr, site } = started
  // the app's workspace: examples/demo-app, its image's registry (ghcr.io) pointed at the stand-in
  const workspace = mkdtempSync(join(tmpdir(), 'demo-app-'))
  started.dirs.push(workspace)
  cpSync(join(ROOT, 'examples', 'demo-app'), workspace, { recursive: true })
  const compose = join(workspace, 'docker-compose.yml')
  writeFileSync(
    compose,
    readFileSync(compose, 'utf8').replaceAll('ghcr.io/imbit/', `${ghcr.registry}/imbit/`)
  )

  console.log(bold(`imbit/actions demo: ${name}`) + dim(` — ${demo.description}`))
  console.log(dim(`  AWS sandbox    ${sandbox.url} (Elastic Beanstalk, CloudFront), S3 ${sandbox.s3Url}`))
  console.log(dim(`  GHCR stand-in  ${ghcr.registry} (registry), ${ghcr.apiUrl} (packages API)`))
  console.log(
    dim(`  App            examples/demo-app, its image ghcr.io/imbit/demo-app served by the stand-in`)
  )
  console.log(dim(`  Site           ${site.origin}/ (the app behind CloudFront: ${ENV}'s URL)`))
  const env = { ...sandbox.env, GITHUB_API_URL: ghcr.apiUrl }
  const image = `${ghcr.registry}/imbit/demo-app`

  void loadS3().catch(() => undefined)
  const verify = await runStep(
    '1/4 verify-package-public: can Beanstalk pull the image anonymously?',
    'verify-package-public',
    { image: `${image}:${TAG}`, token: 'demo-token-not-a-secret', timeout: '10s' },
    env,
    workspace
  )
  const digest = verify.outputs.digest
  if (demo.blueGreen && verify.code === 0 && digest) {
    const failedBlueGreen = await blueGreenStory(
      {
        runStep,
        sandbox,
        siteOrigin: site.origin,
        env,
        workspace,
        image: `${image}@${digest}`,
        invalidate: INVALIDATE,
        catchUp: clock.catchUp
      },
      demo.blueGreen
    )
    return await finish(sandbox, site, failedBlueGreen, BG_ENV)
  }
  let failed = verify.code !== 0 || !digest
  let deployed: string | undefined
  let deployOutputs: Record<string, string> = {}
  if (!failed) {
    const deploy = await runStep(
      '2/4 deploy-beanstalk: bundle, upload, version, deploy, follow to healthy',
      'deploy-beanstalk',
      {
        'application-name': APP,
        'environment-name': ENV,
        region: 'eu-central-1',
        'compose-file': 'docker-compose.yml',
        image: `${image}@${digest}`,
        'rollback-on-failure': String(demo.rollbackOnFailure ?? false),
        ...(demo.platform ? { platform: demo.platform } : {}),
        // Red is given timeout/8, at least 5s: 40s gives the least
        timeout: '40s',
        // a failed update shows the instances' logs: the last 25 lines of each keep the demo's output short
        'log-lines': '25'
      },
      env,
      workspace
    )
    clock.catchUp()
    if (demo.platform && deploy.outputs['platform-arn']) {
      const platform = (arn?: string) => arn?.replace(/^.*:platform\//, '') ?? 'unknown'
      console.log(
        '\n' +
          bold('Platform: ') +
          `${platform(deploy.outputs['previous-platform-arn'])} → ${platform(deploy.outputs['platform-arn'])}`
      )
    }
    failed = deploy.code !== 0
    deployOutputs = deploy.outputs
    deployed = deploy.outputs['version-label']
    const composeText = deployed ? await deployedCompose(sandbox, deployed) : undefined
    const pinned = /image:\s*(\S+)/.exec(composeText ?? '')?.[1]
    if (pinned) {
      const same = pinned.endsWith(`@${digest}`)
      console.log(
        '\n' +
          bold('Image verified: ') +
          `${image}:${TAG} → ${digest}\n` +
          bold('Image in the deployed bundle: ') +
          `${pinned} ` +
          (same ? green('(the same digest)') : red('(a different image!)'))
      )
      if (!same) failed = true
    }
  }
  if (!failed) {
    const invalidate = await runStep(
      '3/4 invalidate-cloudfront: clear the CDN in front of the app',
      'invalidate-cloudfront',
      INVALIDATE,
      env,
      workspace
    )
    failed = invalidate.code !== 0
  }
  if (!failed && deployed) {
    const url = `${deployOutputs['environment-url'] ?? site.origin}/`
    const check = await runStep(
      '4/4 check-url: does the site answer with the new version?',
      'check-url',
      // the demo's site answers at once: the shortest timeout (a broken site is given 1.5s, not 3m)
      { url, 'expect-text': `version ${deployed}`, timeout: '1.5s' },
      env,
      workspace
    )
    if (check.code !== 0) {
      failed = true
      await afterFailedCheck(
        demo,
        deployed,
        deployOutputs['previous-version-label'],
        check.outputs,
        env,
        workspace
      )
    }
  } else {
    console.log(yellow('\nThe workflow stops at the failed step: the later steps do not run.'))
  }

  return await finish(sandbox, site, failed, ENV, deployed)
}

/** What changed, what runs now, what the site answers; everything stopped; the exit code. */
async function finish(
  sandbox: Sandbox,
  site: Site,
  failed: boolean,
  environment: string,
  deployed?: string
): Promise<number> {
  const ENV = environment
  const mutating = sandbox.mutatingCalls().map(c => c.operation)
  console.log('\n' + bold('AWS calls that changed something: ') + (mutating.join(', ') || 'none'))
  const now = sandbox.environment(ENV)
  if (now) {
    console.log(
      bold('In the sandbox now: ') +
        `${ENV} is ${now.status}, health ${now.health}, running ${now.versionLabel ?? 'no version'}` +
        (deployed && now.versionLabel === deployed
          ? ' (the new version)'
          : deployed
            ? ` (not ${deployed})`
            : '')
    )
  }
  const page = await fetch(site.url('/')).catch(() => undefined)
  if (page) {
    const version = /version (\S+?)</.exec(await page.text())?.[1]
    console.log(bold('The site now answers: ') + `${page.status}` + (version ? `, version ${version}` : ''))
  }
  await stopAll()
  console.log(
    failed
      ? red(
          '\nDemo finished: the workflow failed, as this scenario shows. The sandbox and the stand-ins are stopped.'
        )
      : green('\nDemo finished: the workflow succeeded. The sandbox and the stand-ins are stopped.')
  )
  return failed ? 1 : 0
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping the demo, the sandbox and the stand-ins…`)
    void stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}
try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
} finally {
  if (!stopping) await stopAll()
}
