/**
 * `npm run local -- <action> [--scenario NAME] [--env-file FILE]`: one action's TypeScript source run by
 * @github/local-action (pinned devDependency) against servers this script starts itself on free ports: the AWS
 * sandbox (Elastic Beanstalk, S3, CloudFront) for the actions that call AWS, the GHCR stand-in (registry +
 * packages API) for verify-package-public. The .env local-action reads is written from .env.example (or
 * --env-file) with the endpoints, a workspace and the runner's files filled in. Afterwards: the job summary, the
 * outputs and the exit code, as the runner shows them. Everything started is stopped, and the temporary folder
 * removed, when the action ends, on Ctrl-C and on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import {
  actionDrivenClock,
  sandboxEnv,
  scenarios as sandboxScenarios,
  startGhcrStub,
  startSandbox,
  type GhcrStub,
  type Site,
  type Sandbox,
  type StubVisibility
} from '../sandbox/index.js'
import { parse as parseYaml } from 'yaml'
import { bold, dim, green, red, renderSummary } from './render.js'

const ROOT = resolve(import.meta.dirname, '..')
const LOCAL_ACTION = join(ROOT, 'node_modules', '@github', 'local-action', 'src', 'index.ts')
/** relative to the action's folder (actions/<name>), as local-action takes it */
const LOCAL_ENTRY = '../../scripts/local-entry.ts'
const COMPILE_CACHE = pathToFileURL(join(ROOT, 'scripts', 'compile-cache.mjs')).href

/** verify-package-public's scenarios: how the stand-in serves imbit/demo-app. */
const PACKAGE_SCENARIOS: Record<string, string> = {
  public: 'imbit/demo-app is public: the anonymous pull works (the default)',
  private: 'imbit/demo-app is private: the pull is refused, the packages API says private',
  internal: 'imbit/demo-app is internal: a token is given, the manifest is refused',
  missing: 'the image imbit/no-such-app does not exist: retried until the timeout (10s)'
}
/** check-url's scenarios: how the demo app's site (a stand-in on 127.0.0.1) answers. */
const SITE_SCENARIOS: Record<string, string> = {
  up: 'the demo app answers 200 "hello from demo-app v0-initial" (the default)',
  failing: 'the demo app answers 500 (no database): retried for 3s, then what was expected and what came back'
}
const AWS_ACTIONS = ['deploy-beanstalk', 'invalidate-cloudfront', 'swap-environments']
/**
 * The push event the runner would give the action (GITHUB_EVENT_PATH): the demo app's commit, so that
 * deploy-beanstalk's default version description is the app's commit subject, as on the runner, not the subject
 * of whatever commit this checkout is at.
 */
const DEMO_COMMIT_MESSAGE =
  'Show the running version on the home page\n\nThe demo app answers with APP_VERSION.'

function usage(actions: string[]): string {
  const sandbox = Object.values(sandboxScenarios)
    .map(s => `    ${s.name.padEnd(18)} ${s.description ?? ''}`)
    .join('\n')
  const packages = Object.entries(PACKAGE_SCENARIOS)
    .map(([name, text]) => `    ${name.padEnd(18)} ${text}`)
    .join('\n')
  const sites = Object.entries(SITE_SCENARIOS)
    .map(([name, text]) => `    ${name.padEnd(18)} ${text}`)
    .join('\n')
  return [
    'Usage: npm run local -- <action> [--scenario NAME] [--env-file FILE]',
    '',
    `Actions: ${actions.join(', ')}`,
    '',
    'Runs the action from src/ with @github/local-action against a local AWS sandbox (deploy-beanstalk,',
    "invalidate-cloudfront, swap-environments), a GHCR stand-in (verify-package-public) or the demo app's site (check-url), started",
    'on free ports and stopped afterwards.',
    'Inputs come from .env.example, or from FILE (your copy of it); the endpoints are always the local ones.',
    '',
    '  deploy-beanstalk, invalidate-cloudfront: --scenario is a sandbox scenario (default: default)',
    '  swap-environments: --scenario is a sandbox scenario (default: blue-green)',
    sandbox,
    '  verify-package-public: --scenario is one of (default: public)',
    packages,
    '  check-url: --scenario is one of (default: up)',
    sites
  ].join('\n')
}

/** The INPUT_<NAME> variables among `names` that the action's action.yml does not declare. */
function undeclaredInputs(action: string, names: string[]): string[] {
  const spec = parseYaml(readFileSync(join(ROOT, 'actions', action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, unknown>
  }
  const declared = new Set(Object.keys(spec.inputs ?? {}).map(input => `INPUT_${input.toUpperCase()}`))
  return names.filter(name => name.startsWith('INPUT_') && !declared.has(name))
}

/** KEY=value lines (comments and blank lines skipped), as dotenv reads .env.example. */
function parseEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (match) vars.set(match[1], match[2].replace(/^(['"])(.*)\1$/, '$2'))
  }
  return vars
}

function formatEnvFile(vars: Map<string, string>): string {
  return [...vars].map(([k, v]) => `${k}=${/[\s#'"]/.test(v) ? JSON.stringify(v) : v}`).join('\n') + '\n'
}

interface Started {
  /** the sandbox's servers, listening before it is loaded; its own once it serves them */
  early?: Server[]
  /** settles when the sandbox is started (or failed to) */
  sandboxStarting?: Promise<unknown>
  sandbox?: Sandbox
  ghcr?: GhcrStub
  site?: Site
  dir?: string
  child?: ChildProcess
}

/**
 * An HTTP server on a free port of 127.0.0.1, listening before the sandbox is loaded: the .env can name it and
 * local-action can start while the sandbox loads (startSandbox's `servers` then serves it). A request that comes
 * before the sandbox's listener is held and handed on by release(), so each request is answered once, by the
 * sandbox, whichever comes first.
 */
async function listenEarly(): Promise<{ server: Server; url: string; release: () => void }> {
  const held: [IncomingMessage, ServerResponse][] = []
  const server = createServer((req, res) => {
    if (server.listenerCount('request') === 1) held.push([req, res])
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release: () => {
      for (const [req, res] of held.splice(0)) server.emit('request', req, res)
    }
  }
}

async function stopAll(started: Started): Promise<void> {
  if (started.child && started.child.exitCode === null && started.child.signalCode === null) {
    const child = started.child
    const gone = new Promise<void>(done => child.once('exit', () => done()))
    child.kill('SIGTERM')
    await Promise.race([gone, new Promise(done => setTimeout(done, 3000).unref())])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  await started.sandboxStarting?.catch(() => undefined)
  await started.ghcr?.close().catch(() => undefined)
  await started.site?.close().catch(() => undefined)
  await started.sandbox?.close().catch(() => undefined)
  for (const server of started.sandbox ? [] : (started.early ?? [])) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
  if (started.dir) rmSync(started.dir, { recursive: true, force: true })
  started.ghcr = started.site = started.sandbox = started.dir = started.child = undefined
  started.early = started.sandboxStarting = undefined
}

async function main(started: Started): Promise<number> {
  const actions = readdirSync(join(ROOT, 'actions')).filter(a => existsSync(join(ROOT, 'src', a, 'main.ts')))
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scenario: { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  const [action, ...extra] = positionals
  if (values.help) {
    console.log(usage(actions))
    return 0
  }
  if (!action || !actions.includes(action) || extra.length > 0) {
    console.error(`${action ? `Unknown action "${action}".` : 'Which action?'}\n\n${usage(actions)}`)
    return 2
  }
  const envSource = values['env-file'] ?? '.env.example'
  if (!existsSync(envSource)) {
    console.error(`${envSource} not found (copy .env.example and edit it, or leave --env-file out).`)
    return 2
  }
  const isPackages = action === 'verify-package-public'
  const isSite = action === 'check-url'
  // the AWS sandbox only for the actions that call AWS; the GHCR stand-in only for verify-package-public; the
  // demo app's site only for check-url
  const isAws = AWS_ACTIONS.includes(action)
  const scenario =
    values.scenario ??
    (isPackages ? 'public' : isSite ? 'up' : action === 'swap-environments' ? 'blue-green' : 'default')
  const known = Object.keys(isPackages ? PACKAGE_SCENARIOS : isSite ? SITE_SCENARIOS : sandboxScenarios)
  if ((isPackages || isAws || isSite) && !known.includes(scenario)) {
    console.error(`Unknown scenario "${scenario}" for ${action}.\n\n${usage(actions)}`)
    return 2
  }

  const vars = parseEnvFile(readFileSync(envSource, 'utf8'))
  started.dir = mkdtempSync(join(tmpdir(), `imbit-local-${action}-`))
  const dir = started.dir
  console.log(
    bold(`npm run local: ${action}`) + (isPackages || isAws || isSite ? dim(` (scenario ${scenario})`) : '')
  )
  if (isAws) {
    const sandboxScenario = sandboxScenarios[scenario]
    // the sandbox's clock moves with the action's calls, not while local-action starts (sandbox/action-clock.ts)
    const clock = actionDrivenClock(
      Math.max(
        0,
        ...(sandboxScenario.applications ?? []).flatMap(a =>
          (a.environments ?? []).map(e => e.update?.durationMs ?? 3000)
        )
      ),
      // a version is processed at once, as in the demo (CreateApplicationVersion answers Processed): the wait
      // for processing is exercised in process on a fake clock (test/scenarios), not at local-action's pace
      { pause: action === 'deploy-beanstalk', processingMs: 0 }
    )
    // its ports first; the sandbox itself (s3rver alone takes a good part of a second to load) loads and starts
    // while local-action starts, and is awaited before the action's end is
    const main = await listenEarly()
    const s3 = await listenEarly()
    started.early = [main.server, s3.server]
    started.sandboxStarting = (async () => {
      started.sandbox = await startSandbox(
        { ...sandboxScenario, processingMs: 0 },
        {
          silent: true,
          now: clock.now,
          onRequest: clock.onRequest,
          servers: { main: main.server, s3: s3.server }
        }
      )
      main.release()
      s3.release()
    })()
    started.sandboxStarting.catch(() => undefined) // awaited below, once local-action is started
    for (const [k, v] of Object.entries(sandboxEnv(main.url, s3.url))) vars.set(k, v)
    console.log(dim(`  AWS sandbox    ${main.url} (Elastic Beanstalk, CloudFront), S3 ${s3.url}`))
  }
  if (isPackages) {
    const visibility: StubVisibility = scenario === 'missing' ? 'public' : (scenario as StubVisibility)
    started.ghcr = await startGhcrStub({ packages: [{ owner: 'imbit', name: 'demo-app', visibility }] })
    const image = `${started.ghcr.registry}/imbit/${scenario === 'missing' ? 'no-such-app' : 'demo-app'}:latest`
    vars.set('GITHUB_API_URL', started.ghcr.apiUrl)
    vars.set('INPUT_IMAGE', image)
    vars.set('INPUT_TOKEN', 'local-token-not-a-secret')
    vars.set('INPUT_TIMEOUT', '10s')
    console.log(
      dim(`  GHCR stand-in  ${started.ghcr.registry} (registry), ${started.ghcr.apiUrl} (packages API)`)
    )
  }
  if (isSite) {
    const { startSite } = await import('../sandbox/index.js')
    const up = scenario === 'up'
    started.site = await startSite({
      '/': [
        up
          ? {
              status: 200,
              headers: { 'content-type': 'text/plain' },
              body: 'hello from demo-app v0-initial\n'
            }
          : {
              status: 500,
              headers: { 'content-type': 'text/plain' },
              body: 'demo-app: cannot connect to the database (DATABASE_URL is not set)\n'
            }
      ],
      '/health': [{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' }]
    })
    vars.set('INPUT_URL', `${started.site.origin}/`)
    if (!up) vars.set('INPUT_TIMEOUT', '3s')
    console.log(dim(`  Demo app site  ${started.site.origin}/ (examples/demo-app's answers)`))
  }
  // the runner's push event for the demo app's commit, unless the env file names one
  if (!vars.get('GITHUB_EVENT_PATH')) {
    const eventFile = join(dir, 'event.json')
    writeFileSync(
      eventFile,
      JSON.stringify({
        ref: 'refs/heads/main',
        after: vars.get('GITHUB_SHA'),
        repository: { full_name: vars.get('GITHUB_REPOSITORY') },
        head_commit: { id: vars.get('GITHUB_SHA'), message: DEMO_COMMIT_MESSAGE }
      })
    )
    vars.set('GITHUB_EVENT_NAME', vars.get('GITHUB_EVENT_NAME') ?? 'push')
    vars.set('GITHUB_EVENT_PATH', eventFile)
  }
  const workspace = vars.get('GITHUB_WORKSPACE') ?? 'examples/demo-app'
  vars.set('GITHUB_WORKSPACE', resolve(ROOT, workspace))
  const summaryFile = join(dir, 'summary.md')
  const outputFile = join(dir, 'output')
  writeFileSync(summaryFile, '')
  writeFileSync(outputFile, '')
  vars.set('GITHUB_STEP_SUMMARY', summaryFile)
  vars.set('GITHUB_OUTPUT', outputFile)
  vars.set('RUNNER_TEMP', dir)
  // each action gets only the inputs it takes: .env.example holds every action's. live-cname is also
  // swap-environments': deploy-beanstalk takes it with strategy blue-green only (and refuses it with in-place)
  for (const name of undeclaredInputs(action, [...vars.keys()])) vars.delete(name)
  if (action === 'deploy-beanstalk' && vars.get('INPUT_STRATEGY')?.toLowerCase() !== 'blue-green')
    vars.delete('INPUT_LIVE-CNAME')
  const envFile = join(dir, '.env')
  writeFileSync(envFile, formatEnvFile(vars))
  console.log(dim(`  .env           from ${envSource}, endpoints and runner files filled in`))

  const actionDir = join(ROOT, 'actions', action)
  // local-action's own bin runs `npm exec tsx src/index.ts -- …`; this is the same program on the same Node
  // without npm's start-up, with tsx's ESM hooks only (all of this is ESM; tsx's CommonJS hook would only slow
  // down every require() of the dependencies) and the compile cache of scripts/compile-cache.mjs
  const child = spawn(
    process.execPath,
    ['--import', 'tsx/esm', '--import', COMPILE_CACHE, LOCAL_ACTION, 'run', actionDir, LOCAL_ENTRY, envFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        // what local-action's own bin sets before it starts this same command
        TARGET_ACTION_PATH: actionDir,
        NODE_PACKAGE_MANAGER: 'npm',
        NODE_NO_WARNINGS: '1',
        // local-action finds the @actions/* packages to stub with `npm ls … --json --long` and reads only the
        // top-level entries of the answer; at depth 0 npm lists those alone, the same paths, in half the time
        npm_config_depth: '0',
        // and that npm runs on this Node, the project's (scripts/node24.mjs), as a user on Node 24 has it
        PATH: [dirname(process.execPath), process.env.PATH].filter(Boolean).join(delimiter)
      }
    }
  )
  started.child = child
  const exited = new Promise<number>((done, fail) => {
    child.once('error', fail)
    child.once('exit', (exit, signal) => done(exit ?? (signal ? 128 : 1)))
  })
  exited.catch(() => undefined) // awaited below, after the sandbox
  await started.sandboxStarting // a sandbox that cannot start ends the run (and the action) with its error
  const code = await exited
  const summary = readFileSync(summaryFile, 'utf8')
  if (summary.trim()) console.log('\n' + dim('  Job summary') + '\n' + renderSummary(summary))
  console.log(
    code === 0
      ? green(`\n✓ ${action} succeeded (exit code 0)`)
      : red(`\n✗ ${action} failed: Error: Process completed with exit code ${code}.`)
  )
  return code
}

const started: Started = {}
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping the action, the sandbox and the stand-ins…`)
    void stopAll(started).then(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}
try {
  process.exitCode = await main(started)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  if (!stopping) await stopAll(started)
}
