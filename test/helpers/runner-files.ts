/**
 * The runner's files for an in-process test of an action's story: before each test a fresh GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, no INPUT_* left from the last one, exit code cleared; after it, the environment restored
 * and the files removed. Call once at the top of a test file; read what the run wrote through what it returns.
 */
import { afterEach, beforeEach } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { outputWrites, parseOutputFile } from '../../sandbox/index.js'

export function useRunnerFiles(prefix: string, beforeEachRun: () => void = () => undefined) {
  const saved = { ...process.env }
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
    process.env.GITHUB_OUTPUT = join(dir, 'output')
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
    writeFileSync(process.env.GITHUB_OUTPUT, '')
    writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
    process.exitCode = undefined
    beforeEachRun()
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
    process.env = { ...saved }
    process.exitCode = undefined
  })
  return {
    /** The outputs as the runner reads them (the last write of each wins). */
    outputs: () => parseOutputFile(readFileSync(join(dir, 'output'), 'utf8')),
    /** Every output write, in order: each exit writes each output once. */
    writes: () => outputWrites(readFileSync(join(dir, 'output'), 'utf8')),
    summary: () => readFileSync(join(dir, 'summary'), 'utf8')
  }
}
