/**
 * The sandbox CLI as a user runs it: it prints export lines that work with the SDK, logs each call,
 * and stops cleanly on Ctrl-C (SIGINT).
 */
import { describe, expect, it } from '@jest/globals'
import { DescribeEnvironmentsCommand, ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk'
import { spawn, spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { join } from 'node:path'
import { ROOT } from '../index.js'

// tsx's loader, not its command (which leaves a tsx-<uid> folder in the temporary directory)
const TSX = ['--import', 'tsx']
const CLI = join(ROOT, 'sandbox', 'cli.ts')

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('npm run sandbox', () => {
  it('prints the export lines, serves the scenario, logs the call, exits 0 on Ctrl-C', async () => {
    const child = spawn(process.execPath, [...TSX, CLI, '--scenario', 'multi-region'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.setEncoding('utf8')
    const exports = await new Promise<Record<string, string>>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk
        if (out.includes('Calls (Ctrl-C to stop):')) {
          resolve(Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map(m => [m[1], m[2]])))
        }
      })
      child.once('exit', code => reject(new Error(`sandbox exited early (${code}): ${out}`)))
    })
    expect(Object.keys(exports).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_S3',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY'
    ])
    expect(exports.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(out).toContain('eu-west-1  Shop: Shop-env (Ready, v1, updates: healthy)')

    const eb = new ElasticBeanstalkClient({
      region: 'eu-west-1',
      endpoint: exports.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: exports.AWS_ACCESS_KEY_ID, secretAccessKey: exports.AWS_SECRET_ACCESS_KEY }
    })
    const envs = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['Shop-env'] }))
    expect(envs.Environments?.map(e => e.EnvironmentName)).toEqual(['Shop-env'])

    const logged = new Promise<void>(resolve => {
      const check = () =>
        out.includes('DescribeEnvironments EnvironmentNames.member.1=Shop-env → 200') ? resolve() : undefined
      check()
      child.stdout.on('data', check)
    })
    await logged
    expect(out).toMatch(/elasticbeanstalk\s+eu-west-1\s+DescribeEnvironments/)
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })

  it('an unknown scenario exits 1 listing the known ones', () => {
    const run = spawnSync(process.execPath, [...TSX, CLI, '--scenario', 'nope'], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('Unknown scenario "nope"')
    expect(run.stderr).toContain('throttling-storm')
  })

  it('SIGTERM sent to the npm process stops both servers (npm does not pass it through its shell)', async () => {
    const npm = spawn('npm', ['run', '--silent', 'sandbox', '--', '--quiet', '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' }
    })
    let out = ''
    npm.stdout.setEncoding('utf8')
    npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    await new Promise<void>((resolve, reject) => {
      npm.stdout.on('data', (chunk: string) => {
        out += chunk
        if (out.includes('Running (Ctrl-C to stop).')) resolve()
      })
      npm.once('exit', code => reject(new Error(`sandbox exited early (${code}): ${out}`)))
    })
    const ports = [...out.matchAll(/^export AWS_ENDPOINT_URL(?:_S3)?=http:\/\/127\.0\.0\.1:(\d+)$/gm)].map(
      m => Number(m[1])
    )
    expect(ports).toHaveLength(2)
    expect(await Promise.all(ports.map(listening))).toEqual([true, true])

    npm.kill('SIGTERM')
    await new Promise(resolve => npm.once('exit', resolve))
    // the sandbox notices that npm's shell is gone and closes its servers: give it a moment, then look
    let open = [true, true]
    for (let i = 0; i < 50 && open.some(Boolean); i++) {
      await new Promise(resolve => setTimeout(resolve, 100))
      open = await Promise.all(ports.map(listening))
    }
    expect(open).toEqual([false, false])
  })
})
