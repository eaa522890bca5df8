import { describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const infoSpy = jest.fn<(message: string) => void>()
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  info: infoSpy,
  debug: jest.fn(),
  setOutput: jest.fn()
}))
const { cell, markdownTable, startSummary, writeSummary } = await import('../../src/common/log.js')

describe('job summary (core.summary with Markdown tables and a fallback)', () => {
  const build = () =>
    startSummary('Deployed BrillianCRM').addRaw(
      markdownTable([
        ['Environment', 'BrillianCRM-env'],
        ['Version', 'abc1234-0011aabb'],
        ['Message', 'Environment update | completed']
      ])
    )

  it('appends to GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'))
    const file = join(dir, 'summary.md')
    writeFileSync(file, 'earlier step\n')
    const saved = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = file
    let text: string
    try {
      build()
      await writeSummary()
      text = readFileSync(file, 'utf8')
    } finally {
      process.env.GITHUB_STEP_SUMMARY = saved
      rmSync(dir, { recursive: true, force: true })
    }
    expect(text.startsWith('earlier step\n<h3>Deployed BrillianCRM</h3>\n\n')).toBe(true)
    expect(text).toContain('| Environment | BrillianCRM-env |')
    expect(text).toContain('| Message | Environment update \\| completed |')
  })

  it('prints the summary into the log when GITHUB_STEP_SUMMARY is absent (older act)', async () => {
    const saved = process.env.GITHUB_STEP_SUMMARY
    delete process.env.GITHUB_STEP_SUMMARY
    try {
      build()
      await writeSummary()
    } finally {
      if (saved !== undefined) process.env.GITHUB_STEP_SUMMARY = saved
    }
    const logged = infoSpy.mock.calls.map(c => c[0]).join('\n')
    expect(logged).toContain('GITHUB_STEP_SUMMARY is not set')
    expect(logged).toContain('| Version | abc1234-0011aabb |')
  })

  it('starts each summary afresh', () => {
    startSummary('one').addRaw('first')
    expect(startSummary('two').stringify()).toBe('<h3>two</h3>\n\n')
  })

  it('escapes cells and shows a dash for missing values', () => {
    expect(cell(undefined)).toBe('—')
    expect(cell('a|b\nc')).toBe('a\\|b<br>c')
  })
})
