/**
 * `npm run sandbox` and `npm run registry` stop, with every process they started and every port they opened,
 * when SIGINT or SIGTERM goes to the npm process alone (as `kill -INT <npm's pid>`, a script or act sends it),
 * not to its process group as Ctrl-C in a terminal does. npm passes both signals to its script's process; the
 * scripts `exec` node, so no shell stands between npm and scripts/node24.mjs to swallow a SIGINT (dash waits
 * for its child and passes nothing on), and node24.mjs passes the signal on to the script.
 */
import { describe, expect, it } from '@jest/globals'
import {
  descendants,
  leftovers,
  listening,
  npmRun,
  printedPorts,
  scriptsStoppedAfterEach,
  stillRunning
} from '../helpers/scripts.js'

scriptsStoppedAfterEach()

const scripts = [
  { script: 'sandbox', args: ['--quiet'], ports: 2, stopping: 'stopping the sandbox.' },
  { script: 'registry', args: [], ports: 1, stopping: 'stopping the GHCR stand-in.' }
]

/** The promise's value, or a failure naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
    })
  ]).finally(() => clearTimeout(timer))
}

describe.each(scripts)('npm run $script', ({ script, args, ports: portCount, stopping }) => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to the npm process stops every process it started and frees its ports',
    async signal => {
      const run = npmRun(script, args)
      await run.waitFor(/Running \(Ctrl-C to stop\)\./, 30_000)
      const npm = run.child.pid as number
      const started = descendants(npm)
      // node24.mjs and the script's node (and tsx's esbuild service), with no shell between npm and node24.mjs
      expect(started.length).toBeGreaterThanOrEqual(2)
      const ports = printedPorts(run.output())
      expect(ports).toHaveLength(portCount)
      expect(await Promise.all(ports.map(listening))).toEqual(ports.map(() => true))

      process.kill(npm, signal)
      const exit = await within(run.exited, 10_000, `npm run ${script} after ${signal}`)
      expect({ exit, output: run.output().slice(-600) }).toEqual({
        exit: { code: 0, signal: null },
        output: expect.stringContaining(`${signal}: ${stopping}`)
      })
      expect(await stillRunning(started)).toEqual([])
      expect(await leftovers(run, ports)).toEqual({ listening: [], files: [] })
    },
    30_000
  )
})
