import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const zipModule = resolve('src/deploy-beanstalk/bundle/zip.ts')
const tsx = resolve('node_modules/.bin/tsx')

/** Builds the same zip in a child process with the given TZ and returns its sha256. */
function shaUnder(tz: string, dir: string): string {
  const script = join(dir, `build-${tz.replace(/\W/g, '_')}.mts`)
  writeFileSync(
    script,
    `import { writeDeterministicZip } from ${JSON.stringify(zipModule)}\n` +
      `const r = await writeDeterministicZip([{ name: 'docker-compose.yml', source: { content: Buffer.from('services: {}\\n') } }, { name: '.platform/hooks/a.sh', source: { content: Buffer.from('echo hi\\n') }, mode: 0o755 }], process.argv[2])\n` +
      `process.stdout.write(r.sha256)\n`
  )
  const result = spawnSync(tsx, [script, join(dir, `${tz.replace(/\W/g, '_')}.zip`)], {
    env: { ...process.env, TZ: tz, NODE_OPTIONS: '' },
    encoding: 'utf8'
  })
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return result.stdout.trim()
}

describe('writeDeterministicZip across time zones', () => {
  it('writes the same bytes under UTC, America/New_York and Asia/Kolkata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-tz-'))
    try {
      const utc = shaUnder('UTC', dir)
      expect(utc).toMatch(/^[0-9a-f]{64}$/)
      expect(shaUnder('America/New_York', dir)).toBe(utc)
      expect(shaUnder('Asia/Kolkata', dir)).toBe(utc)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
