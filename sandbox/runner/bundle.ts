/**
 * Runs a real action bundle (`node dist/<name>/index.js`) the way the Actions runner does: inputs as
 * INPUT_<NAME> variables (upper-cased, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * GITHUB_WORKSPACE, and a scrubbed environment so nothing from this machine leaks in.
 *
 * The Node binary is ACTION_NODE when set (CI points it at Node 24, the `node24` runtime), else this Node.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')

export interface BundleRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** What the step saved for its post step (GITHUB_STATE): passed back as STATE_<name> variables. */
  state?: Record<string, string>
  /** `::error` / `::warning` / `::notice` workflow commands found in stdout. */
  annotations: Array<{ level: 'error' | 'warning' | 'notice'; title?: string; message: string }>
  durationMs: number
}

export interface RunOptions {
  inputs?: Record<string, string>
  env?: Record<string, string | undefined>
  workspace?: string
  /** Omit GITHUB_STEP_SUMMARY, as older act does. */
  noSummaryFile?: boolean
  timeoutMs?: number
  /** Sends the run a signal once `when()` holds (checked every 20 ms), as the runner does on a cancel. */
  signal?: { name: NodeJS.Signals; when: () => boolean }
}

/** Parses the `name<<delimiter` / `name=value` format of GITHUB_OUTPUT (the last write of a name wins). */
export function parseOutputFile(text: string): Record<string, string> {
  return Object.fromEntries(outputWrites(text))
}

/** Every write to GITHUB_OUTPUT in order, as [name, value] (an output written twice appears twice). */
export function outputWrites(text: string): Array<[string, string]> {
  const writes: Array<[string, string]> = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      writes.push([name, value.join('\n')])
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      writes.push([line.slice(0, at), line.slice(at + 1)])
    }
  }
  return writes
}

/** The error annotations of a run (each failure is one `::error`): the one helper the tests of failures use. */
export const errors = (run: Pick<BundleRun, 'annotations'>) =>
  run.annotations.filter(a => a.level === 'error')

/** Their messages, one per `::error`. */
export const errorMessages = (run: Pick<BundleRun, 'annotations'>): string[] =>
  errors(run).map(a => a.message)

/** Their titles and messages as one text (`title: message` a line; empty without errors), for readable failures. */
export const errorText = (run: Pick<BundleRun, 'annotations'>): string =>
  errors(run)
    .map(a => `${a.title}: ${a.message}`)
    .join('\n')

function unescapeCommand(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%')
}

export function parseAnnotations(stdout: string): BundleRun['annotations'] {
  const found: BundleRun['annotations'] = []
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line)
    if (!m) continue
    const props = m[2] ?? ''
    const title = /title=([^,]*)/.exec(props)?.[1]
    found.push({
      level: m[1] as 'error' | 'warning' | 'notice',
      title: title === undefined ? undefined : unescapeCommand(title),
      message: unescapeCommand(m[3])
    })
  }
  return found
}

/** INPUT_<NAME> variables as the runner sets them: upper-cased, spaces as underscores, hyphens kept. */
export function inputVariables(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value])
  )
}

/**
 * The environment the runner gives an action: GitHub context, output and summary files in `dir`, and no path
 * to this machine's AWS configuration or instance metadata. `overrides` win; an undefined one removes a variable.
 */
export function runnerEnvironment(
  dir: string,
  workspace: string,
  overrides: Record<string, string | undefined> = {}
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'imbit/brilliancrm',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unreachable',
    // Never let a developer's real AWS profile or credentials reach a run.
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true'
  }
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  writeFileSync(env.GITHUB_STATE, '')
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

export async function runBundle(action: string, options: RunOptions = {}): Promise<BundleRun> {
  const dir = mkdtempSync(join(tmpdir(), `run-${action}-`))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const env = runnerEnvironment(dir, options.workspace ?? dir, {
    ...inputVariables(options.inputs ?? {}),
    ...(options.noSummaryFile ? { GITHUB_STEP_SUMMARY: undefined } : {}),
    ...options.env
  })
  const nodeBinary = process.env.ACTION_NODE || process.execPath
  const bundle = join(ROOT, 'dist', action, 'index.js')
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`)
  const started = Date.now()
  return await new Promise<BundleRun>((resolvePromise, reject) => {
    const child = spawn(nodeBinary, [bundle], {
      env,
      cwd: env.GITHUB_WORKSPACE,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    const signal = options.signal
    const watcher =
      signal &&
      setInterval(() => {
        if (!signal.when()) return
        clearInterval(watcher)
        child.kill(signal.name)
      }, 20)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      if (watcher) clearInterval(watcher)
      const result: BundleRun = {
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        state: parseOutputFile(readFileSync(join(dir, 'state'), 'utf8')),
        annotations: parseAnnotations(stdout),
        durationMs: Date.now() - started
      }
      rmSync(dir, { recursive: true, force: true })
      resolvePromise(result)
    })
  })
}
