import { describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const infoSpy = jest.fn<(message: string) => void>()
jest.unstable_mockModule('@actions/core', () => ({ info: infoSpy, debug: jest.fn(), setOutput: jest.fn() }))
const { JobSummary, cell } = await import('../../src/common/log.js')

describe('JobSummary', () => {
  const summary = () =>
    new JobSummary()
      .heading('Deployed BrillianCRM')
      .table([
        ['Environment', 'BrillianCRM-env'],
        ['Version', 'abc1234-0011aabb']
      ])
      .grid(['Time', 'Message'], [['12:00:01', 'Environment update | completed']])

  it('appends Markdown to GITHUB_STEP_SUMMARY', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md')
    writeFileSync(file, 'earlier step\n')
    await summary().write({ GITHUB_STEP_SUMMARY: file })
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('earlier step\n### Deployed BrillianCRM\n')).toBe(true)
    expect(text).toContain('| Environment | BrillianCRM-env |')
    expect(text).toContain('| 12:00:01 | Environment update \\| completed |')
  })

  it('prints the summary into the log when GITHUB_STEP_SUMMARY is absent (older act)', async () => {
    await summary().write({})
    const logged = infoSpy.mock.calls.map(c => c[0]).join('\n')
    expect(logged).toContain('GITHUB_STEP_SUMMARY is not set')
    expect(logged).toContain('| Version | abc1234-0011aabb |')
  })

  it('escapes cells and shows a dash for missing values', () => {
    expect(cell(undefined)).toBe('—')
    expect(cell('a|b\nc')).toBe('a\\|b<br>c')
  })
})
