/**
 * Runs this repository's npm scripts (npm run demo, local, sandbox) as a user does, in a temporary directory of
 * their own (TMPDIR), so a test can check that nothing is left there, nor listening, afterwards.
 */
import { afterEach } from '@jest/globals'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../sandbox/index.js'

export interface ScriptRun {
  child: ChildProcessWithoutNullStreams
  /** stdout and stderr so far */
  output(): string
  /** resolves when the output matches */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** the TMPDIR the script was given */
  tmp: string
}

const runs: ScriptRun[] = []

/**
 * For a test file: after each test, a script still running (a test failed before it stopped it) is sent SIGTERM
 * and waited for, and every TMPDIR given to a script is removed.
 */
export function scriptsStoppedAfterEach(): void {
  afterEach(async () => {
    for (const run of runs.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill('SIGTERM')
        await Promise.race([run.exited, new Promise(resolve => setTimeout(resolve, 10_000))])
      }
      rmSync(run.tmp, { recursive: true, force: true })
    }
  })
}

/**
 * `detached`: npm leads a process group of its own, so a test can send a signal to the whole group, as Ctrl-C
 * in a terminal does (`process.kill(-run.child.pid, 'SIGINT')`).
 */
export function npmRun(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  options: { detached?: boolean } = {}
): ScriptRun {
  return started(script, 'npm', ['run', '--silent', script, '--', ...args], env, options)
}

/**
 * A script's TypeScript file run as its npm script runs it, without npm and scripts/node24.mjs in front (this
 * test process already runs on the project's Node): for tests about what the script does, once a test through
 * npmRun has shown that the npm script starts it.
 */
export function tsxRun(file: string, args: string[], env: Record<string, string> = {}): ScriptRun {
  const name = file.replace(/^.*\//, '').replace(/\.ts$/, '')
  return started(name, process.execPath, ['--import', 'tsx', join(ROOT, file), ...args], env, {})
}

function started(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { detached?: boolean }
): ScriptRun {
  const tmp = mkdtempSync(join(tmpdir(), `script-${name}-`))
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: options.detached ?? false,
    env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', TMPDIR: tmp, ...env }
  })
  let out = ''
  const listeners = new Set<() => void>()
  const collect = (chunk: Buffer) => {
    out += chunk.toString('utf8')
    for (const listener of listeners) listener()
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('close', (code, signal) => resolve({ code, signal }))
  )
  const run: ScriptRun = {
    child,
    tmp,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out)
          if (match) {
            listeners.delete(check)
            clearTimeout(timer)
            resolve(match)
          }
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`no ${pattern} in the output after ${timeoutMs} ms:\n${out.slice(-3000)}`))
        }, timeoutMs)
        listeners.add(check)
        void exited.then(() => setTimeout(check, 0))
        check()
      })
    }
  }
  runs.push(run)
  return run
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** The 127.0.0.1 ports a script printed (http://127.0.0.1:PORT and bare 127.0.0.1:PORT). */
export function printedPorts(output: string): number[] {
  return [...new Set([...output.matchAll(/127\.0\.0\.1:(\d+)/g)].map(m => Number(m[1])))]
}

/**
 * What is still listening or left in the script's TMPDIR, polled for up to `ms` (a stopped script closes its
 * servers and removes its folders as it exits; a killed npm's grandchildren notice within a moment). Removes
 * the TMPDIR afterwards.
 */
export async function leftovers(
  run: ScriptRun,
  ports: number[],
  ms = 5000
): Promise<{ listening: number[]; files: string[] }> {
  const look = async () => ({
    listening: (await Promise.all(ports.map(async p => ((await listening(p)) ? p : 0)))).filter(p => p > 0),
    files: readdirSync(run.tmp)
  })
  let found = await look()
  for (let waited = 0; waited < ms && (found.listening.length > 0 || found.files.length > 0); waited += 100) {
    await new Promise(resolve => setTimeout(resolve, 100))
    found = await look()
  }
  rmSync(run.tmp, { recursive: true, force: true })
  return found
}

/** The processes below `pid` (children, grandchildren, …), from /proc: what a script started. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")"
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
  }
  const found: number[] = []
  for (let queue = [pid]; queue.length > 0;) {
    const next = children.get(queue.shift() as number) ?? []
    found.push(...next)
    queue.push(...next)
  }
  return found
}

/** Whether a process exists (a zombie, exited but not yet reaped by its parent, counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/**
 * The processes of `pids` still running after up to `ms`, looked at every 50 ms: a process that is not our child
 * cannot be waited for, so its exit is polled, and the wait ends as soon as all are gone.
 */
export async function stillRunning(pids: number[], ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms
  let running = pids.filter(alive)
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50))
    running = running.filter(alive)
  }
  return running
}
