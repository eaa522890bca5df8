/**
 * `npm run demo [-- --scenario NAME]`: the reusable workflow's deploy job, offline, against local stand-ins.
 * Starts the AWS sandbox (Elastic Beanstalk, S3, CloudFront on 127.0.0.1) and a GHCR stand-in (registry and
 * packages API), then runs the real action bundles in the order .github/workflows/deploy.yml does:
 *   verify-package-public → deploy-beanstalk (examples/demo-app, pinned to the verified digest) →
 *   invalidate-cloudfront
 * showing their logs and each job summary; a failed step ends the run, as in the workflow. Each scenario is one
 * story (--help lists them). The exit code is the workflow's: 0 when it succeeded, 1 when a step failed.
 * Everything started is stopped, and the temporary folders removed, at the end, on Ctrl-C and on SIGTERM.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import yauzl from 'yauzl'
import { inputVariables, parseOutputFile, runnerEnvironment } from '../test/helpers/run-bundle.js'
import type { Sandbox, SandboxScenario, UpdateScript } from '../test/sandbox/index.js'
import type { GhcrStub, StubVisibility } from '../test/stubs/ghcr.js'
import { bold, dim, green, red, renderLogLine, renderSummary, yellow } from './render.js'

const ROOT = resolve(import.meta.dirname, '..')
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const TAG = 'sha-d3e0d3e'

interface DemoScenario {
  description: string
  visibility: StubVisibility
  update: UpdateScript
  /** the environment is busy with another deployment for this long when the demo starts */
  busyForMs?: number
  rollbackOnFailure?: boolean
}

/** Short durations (Beanstalk takes minutes): the whole story in seconds. */
export const DEMO_SCENARIOS: Record<string, DemoScenario> = {
  happy: {
    description: 'the image is public; the deploy ends Ready and Green; the CDN is cleared (exit 0)',
    visibility: 'public',
    update: { durationMs: 1000, outcome: 'healthy' }
  },
  'private-package': {
    description: 'the package is private: stopped before the deploy, with the settings link (exit 1)',
    visibility: 'private',
    update: { durationMs: 1000, outcome: 'healthy' }
  },
  'failed-deploy': {
    description:
      "the update fails on the instance: Beanstalk's own events, the old version keeps running (exit 1)",
    visibility: 'public',
    update: { durationMs: 1000, outcome: 'fail' }
  },
  rollback: {
    description:
      'the new version runs Red; rollback-on-failure redeploys the previous one, which runs Green (exit 1)',
    visibility: 'public',
    update: { durationMs: 1000, outcome: 'red', healthyVersions: ['v0-initial'] },
    rollbackOnFailure: true
  },
  busy: {
    description: 'another deployment is still running: waited out, then deployed (exit 0)',
    visibility: 'public',
    update: { durationMs: 1000, outcome: 'healthy' },
    busyForMs: 10000
  }
}

function usage(): string {
  const lines = Object.entries(DEMO_SCENARIOS).map(([name, s]) => `  ${name.padEnd(16)} ${s.description}`)
  return [
    'Usage: npm run demo [-- --scenario NAME]',
    '',
    'Runs the deploy workflow (verify-package-public → deploy-beanstalk → invalidate-cloudfront) with the real',
    'action bundles against a local AWS sandbox and a GHCR stand-in on 127.0.0.1: offline, nothing real is touched.',
    '',
    'Scenarios (default: happy):',
    ...lines
  ].join('\n')
}

function sandboxScenario(demo: DemoScenario): SandboxScenario {
  return {
    name: 'demo',
    processingMs: 300,
    applications: [
      {
        name: APP,
        region: 'eu-central-1',
        versions: [{ label: 'v0-initial', description: 'Initial version' }],
        environments: [
          {
            name: ENV,
            versionLabel: 'v0-initial',
            update: demo.update,
            ...(demo.busyForMs ? { status: 'Updating' as const, busyForMs: demo.busyForMs } : {})
          }
        ]
      }
    ],
    distributions: [
      {
        id: 'E2CRM000000001',
        aliases: ['brilliancrm.com', 'www.brilliancrm.com'],
        originDomainName: `${ENV}.eu-central-1.elasticbeanstalk.com`,
        invalidationMs: 500
      }
    ]
  }
}

/** The docker-compose.yml inside the bundle Beanstalk was given (read back from the sandbox's S3). */
async function deployedCompose(sandbox: Sandbox, label: string): Promise<string | undefined> {
  const source = sandbox.version(APP, label)?.sourceBundle
  if (!source) return undefined
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

/** What is running and where, so Ctrl-C or SIGTERM can stop it all. */
interface Started {
  sandbox?: Sandbox
  ghcr?: GhcrStub
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
  const { ghcr, sandbox } = started
  started.ghcr = started.sandbox = started.child = undefined
  await ghcr?.close().catch(() => undefined)
  await sandbox?.close().catch(() => undefined)
  for (const dir of started.dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

interface StepResult {
  code: number | null
  outputs: Record<string, string>
}

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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'happy' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    console.log(usage())
    return 0
  }
  const name = values.scenario
  const demo = DEMO_SCENARIOS[name]
  if (!demo) {
    console.error(`Unknown scenario "${name}".\n\n${usage()}`)
    return 2
  }
  for (const action of ['verify-package-public', 'deploy-beanstalk', 'invalidate-cloudfront']) {
    if (!existsSync(join(ROOT, 'dist', action, 'index.js'))) {
      console.error(`dist/${action}/index.js is missing: run npm run build first.`)
      return 2
    }
  }
  const { startSandbox } = await import('../test/sandbox/index.js')
  const { startGhcrStub } = await import('../test/stubs/ghcr.js')
  started.sandbox = await startSandbox(sandboxScenario(demo), { silent: true })
  started.ghcr = await startGhcrStub({
    packages: [{ owner: 'imbit', name: 'demo-app', visibility: demo.visibility, tags: ['latest', TAG] }]
  })
  const { sandbox, ghcr } = started
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
  const env = { ...sandbox.env, GITHUB_API_URL: ghcr.apiUrl }
  const image = `${ghcr.registry}/imbit/demo-app`

  const verify = await runStep(
    '1/3 verify-package-public: can Beanstalk pull the image anonymously?',
    'verify-package-public',
    { image: `${image}:${TAG}`, token: 'demo-token-not-a-secret', timeout: '10s' },
    env,
    workspace
  )
  const digest = verify.outputs.digest
  let failed = verify.code !== 0 || !digest
  let deployed: string | undefined
  if (!failed) {
    const deploy = await runStep(
      '2/3 deploy-beanstalk: bundle, upload, version, deploy, follow to healthy',
      'deploy-beanstalk',
      {
        'application-name': APP,
        'environment-name': ENV,
        region: 'eu-central-1',
        'compose-file': 'docker-compose.yml',
        image: `${image}@${digest}`,
        'rollback-on-failure': String(demo.rollbackOnFailure ?? false),
        // the shortest budget that still waits out the busy scenario; Red is given timeout/8 (at least 5s)
        timeout: '40s'
      },
      env,
      workspace
    )
    failed = deploy.code !== 0
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
      '3/3 invalidate-cloudfront: clear the CDN in front of the app',
      'invalidate-cloudfront',
      { domain: 'brilliancrm.com', paths: '/*', wait: 'true', timeout: '1m' },
      env,
      workspace
    )
    failed = invalidate.code !== 0
  } else {
    console.log(yellow('\nThe workflow stops at the failed step: the later steps do not run.'))
  }

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
  await stopAll()
  console.log(
    failed
      ? red(
          '\nDemo finished: the workflow failed, as this scenario shows. The sandbox and the stand-in are stopped.'
        )
      : green('\nDemo finished: the workflow succeeded. The sandbox and the stand-in are stopped.')
  )
  return failed ? 1 : 0
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping the demo, the sandbox and the stand-in…`)
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
