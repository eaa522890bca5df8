import { describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const zipModule = resolve('src/deploy-beanstalk/bundle/zip.ts')

/**
 * How to run a TypeScript file in a fresh process: a Node of 23 or newer (this one under npm test, else
 * ACTION_NODE, the action runtime) strips the types itself and starts in a fraction of tsx's time; an older Node
 * goes through tsx's loader (`--import tsx`: unlike the tsx command, it leaves no folder in the temp directory).
 */
function runner(): { command: string; args: string[] } {
  if (Number(process.versions.node.split('.')[0]) >= 23) return { command: process.execPath, args: [] }
  const node = process.env.ACTION_NODE
  if (node) {
    const major = Number(
      execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })
    )
    if (major >= 23) return { command: node, args: [] }
  }
  return { command: process.execPath, args: ['--import', 'tsx'] }
}

/** Builds the same zip in a fresh process with the given TZ (the zone is read at start) and returns its sha256. */
async function shaUnder(tz: string, dir: string): Promise<string> {
  const name = tz.replace(/\W/g, '_')
  const script = join(dir, `build-${name}.mts`)
  writeFileSync(
    script,
    `import { writeDeterministicZip } from ${JSON.stringify(zipModule)}\n` +
      `const r = await writeDeterministicZip([{ name: 'docker-compose.yml', source: { content: Buffer.from('services: {}\\n') } }, { name: '.platform/hooks/a.sh', source: { content: Buffer.from('echo hi\\n') }, mode: 0o755 }], process.argv[2])\n` +
      `process.stdout.write(r.sha256)\n`
  )
  const { command, args } = runner()
  const { stdout, stderr } = await promisify(execFile)(command, [...args, script, join(dir, `${name}.zip`)], {
    env: { ...process.env, TZ: tz, NODE_OPTIONS: '' },
    encoding: 'utf8'
  })
  expect(stderr).toBe('')
  return stdout.trim()
}

describe('writeDeterministicZip across time zones', () => {
  it('writes the same bytes under UTC, America/New_York and Asia/Kolkata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-tz-'))
    try {
      // three fresh processes side by side: each reads its zone when it starts, as a runner would
      const [utc, newYork, kolkata] = await Promise.all(
        ['UTC', 'America/New_York', 'Asia/Kolkata'].map(tz => shaUnder(tz, dir))
      )
      expect(utc).toMatch(/^[0-9a-f]{64}$/)
      expect(newYork).toBe(utc)
      expect(kolkata).toBe(utc)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
