/**
 * `npm run bench` is not a test (it prints figures, and takes minutes): what is tested is how it behaves as a
 * command. Ctrl-C in the middle of a section stops it and leaves nothing in the temporary directory (the bundle
 * copies, the workspaces and blobs, the sandbox's S3 storage all live under its one folder); an unknown section
 * is refused with the list, before anything is started.
 */
import { describe, expect, it } from '@jest/globals'
import { leftovers, npmRun, scriptsStoppedAfterEach } from '../helpers/scripts.js'

scriptsStoppedAfterEach()

describe('npm run bench', () => {
  it('Ctrl-C (SIGINT to the process group) during the rss section: it says so, stops, and removes its files', async () => {
    const run = npmRun('bench', ['rss'], {}, { detached: true })
    await run.waitFor(/rss: 1 MB deploy, run 1 of 3/, 45_000)
    expect(run.output()).toMatch(/^ {2}run of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; .+; the actions on Node v\d+/m)
    process.kill(-run.child.pid!, 'SIGINT')
    await run.exited // (npm itself ends by the signal, as with Ctrl-C in a terminal)
    expect(run.output()).toContain(
      'SIGINT: stopping the benchmark (rss: 1 MB deploy, run 1 of 3) and removing its files…'
    )
    expect(await leftovers(run, [])).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('SIGINT to the npm process alone (kill -INT <npm pid>): it stops too, and removes its files', async () => {
    const run = npmRun('bench', ['rss'], {}, { detached: true })
    await run.waitFor(/rss: writing a 1 MB incompressible file|rss: 1 MB deploy, run 1 of 3/, 45_000)
    run.child.kill('SIGINT')
    await run.exited
    expect(run.output()).toMatch(/SIGINT: stopping the benchmark \(rss: .*\) and removing its files…/)
    expect(await leftovers(run, [])).toEqual({ listening: [], files: [] })
  }, 60_000)

  it('an unknown section exits 2 naming the sections, leaving nothing', async () => {
    const run = npmRun('bench', ['memory'])
    expect((await run.exited).code).toBe(2)
    expect(run.output()).toContain(
      'Unknown section memory: the sections are latency, calls, rss, redeploy, cold, many.'
    )
    expect(await leftovers(run, [])).toEqual({ listening: [], files: [] })
  }, 30_000)
})
