import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yauzl from 'yauzl'
import yazl from 'yazl'
import { UserError } from '../../src/common/errors.js'
import { collectEntries, type BundleEntry } from '../../src/deploy-beanstalk/bundle/contents.js'
import { inspectBundle } from '../../src/deploy-beanstalk/bundle/inspect.js'
import { writeDeterministicZip } from '../../src/deploy-beanstalk/bundle/zip.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bundle-test-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let counter = 0
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = join(root, `ws${counter++}`)
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true })
    await writeFile(join(dir, name), content)
  }
  await mkdir(dir, { recursive: true })
  return dir
}

const compose = Buffer.from('services:\n  web:\n    image: nginx\n')
const collect = (ws: string, include: string[], includeExplicit = true): Promise<BundleEntry[]> =>
  collectEntries({
    workspace: ws,
    composeFile: 'deploy/compose.prod.yml',
    composeContent: compose,
    include,
    includeExplicit
  })

async function expectBundleError(promise: Promise<unknown>, input: string, message: RegExp): Promise<void> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(UserError)
  expect((caught as UserError).input).toBe(input)
  expect((caught as Error).message).toMatch(message)
}

interface ZipEntryInfo {
  name: string
  mode: number
  content: string
  dosDate: number
  dosTime: number
  extraFields: number
}
function readZip(path: string): Promise<ZipEntryInfo[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'))
      const out: ZipEntryInfo[] = []
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return reject(e2 ?? new Error('no stream'))
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            out.push({
              name: entry.fileName,
              mode: (entry.externalFileAttributes >>> 16) & 0o177777,
              content: Buffer.concat(chunks).toString(),
              dosDate: entry.lastModFileDate,
              dosTime: entry.lastModFileTime,
              extraFields: entry.extraFields.length
            })
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(out))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

const tree = {
  '.ebextensions/01-env.config': 'option_settings: []\n',
  '.platform/hooks/predeploy/01-migrate.sh': '#!/bin/sh\necho migrate\n',
  '.platform/nginx/conf.d/proxy.conf': 'client_max_body_size 20M;\n',
  'src/app.js': 'console.log(1)\n'
}

describe('collectEntries', () => {
  it('puts the compose content at the root and includes the default folders, sorted, with modes', async () => {
    const ws = await workspace(tree)
    const entries = await collect(ws, ['.platform', '.ebextensions'], false)
    expect(entries.map(e => [e.name, e.mode])).toEqual([
      ['.ebextensions/01-env.config', 0o644],
      ['.platform/hooks/predeploy/01-migrate.sh', 0o755],
      ['.platform/nginx/conf.d/proxy.conf', 0o644],
      ['docker-compose.yml', 0o644]
    ])
    expect(entries.find(e => e.name === 'docker-compose.yml')?.source).toEqual({ content: compose })
    expect(entries[0]?.source).toEqual({ path: join(ws, '.ebextensions/01-env.config') })
  })

  it('skips missing default folders silently but refuses a missing explicit path', async () => {
    const ws = await workspace({ 'x.txt': 'x' })
    expect((await collect(ws, ['.ebextensions', '.platform'], false)).map(e => e.name)).toEqual([
      'docker-compose.yml'
    ])
    await expectBundleError(
      collect(ws, ['config/missing']),
      'include',
      /"config\/missing", which does not exist/
    )
  })

  it('normalises paths and includes single files', async () => {
    const ws = await workspace(tree)
    const entries = await collect(ws, ['./src/../src/app.js', join(ws, '.ebextensions') + '/'])
    expect(entries.map(e => e.name)).toEqual([
      '.ebextensions/01-env.config',
      'docker-compose.yml',
      'src/app.js'
    ])
  })

  it('refuses paths outside the workspace, the workspace itself, and duplicates', async () => {
    const ws = await workspace(tree)
    await expectBundleError(collect(ws, ['../other']), 'include', /inside the workspace/)
    await expectBundleError(collect(ws, ['/etc/passwd']), 'include', /inside the workspace/)
    await expectBundleError(collect(ws, ['.']), 'include', /whole workspace/)
    await expectBundleError(collect(ws, ['src', 'src/app.js']), 'include', /"src\/app\.js" twice/)
    const withCompose = await workspace({ 'docker-compose.yml': 'x' })
    await expectBundleError(
      collect(withCompose, ['docker-compose.yml']),
      'include',
      /where the compose file \(deploy\/compose\.prod\.yml\) goes/
    )
  })

  it('follows symlinks inside the workspace and refuses ones pointing outside', async () => {
    const outside = await workspace({ 'secret.txt': 'nope' })
    const ws = await workspace({ 'conf/real.conf': 'ok', 'shared/a.txt': 'a' })
    await symlink(join(ws, 'conf/real.conf'), join(ws, 'conf/link.conf'))
    await symlink(join(ws, 'shared'), join(ws, 'conf/shared'))
    await symlink(join(ws, 'conf'), join(ws, 'conf/loop'))
    const entries = await collect(ws, ['conf'])
    expect(entries.map(e => e.name)).toEqual([
      'conf/link.conf',
      'conf/real.conf',
      'conf/shared/a.txt',
      'docker-compose.yml'
    ])
    expect(entries[0]?.source).toEqual({ path: join(ws, 'conf/real.conf') })
    const bad = await workspace({ 'conf/ok': 'x' })
    await symlink(join(outside, 'secret.txt'), join(bad, 'conf/leak'))
    await expectBundleError(collect(bad, ['conf']), 'include', /outside the workspace/)
    const broken = await workspace({ 'conf/ok': 'x' })
    await symlink(join(broken, 'nowhere'), join(broken, 'conf/dangling'))
    await expectBundleError(collect(broken, ['conf']), 'include', /broken symbolic link/)
  })

  it('keeps the executable bit of scripts outside .platform', async () => {
    const ws = await workspace({ 'bin/run': '#!/bin/sh\n', 'bin/data': 'x' })
    await chmod(join(ws, 'bin/run'), 0o775)
    expect((await collect(ws, ['bin'])).map(e => [e.name, e.mode])).toEqual([
      ['bin/data', 0o644],
      ['bin/run', 0o755],
      ['docker-compose.yml', 0o644]
    ])
  })
})

describe('writeDeterministicZip', () => {
  it('writes the same bytes for the same tree at other times and in another order', async () => {
    const a = await workspace(tree)
    const b = await workspace(Object.fromEntries(Object.entries(tree).reverse()))
    await utimes(join(b, 'src/app.js'), new Date('2030-05-05T12:00:00Z'), new Date('2030-05-05T12:00:00Z'))
    await utimes(join(a, '.ebextensions/01-env.config'), new Date('2001-01-01'), new Date('2001-01-01'))
    const ea = await collect(a, ['.ebextensions', '.platform', 'src'])
    const eb = (await collect(b, ['src', '.platform', '.ebextensions'])).reverse()
    const za = await writeDeterministicZip(ea, join(root, 'a.zip'))
    const zb = await writeDeterministicZip(eb, join(root, 'b.zip'))
    const bytesA = await readFile(za.path)
    expect(bytesA.equals(await readFile(zb.path))).toBe(true)
    expect(za.sha256).toBe(zb.sha256)
    expect(za.sha256).toBe(createHash('sha256').update(bytesA).digest('hex'))
    expect(za.size).toBe(bytesA.length)
    expect(za.entries).toEqual([
      '.ebextensions/01-env.config',
      '.platform/hooks/predeploy/01-migrate.sh',
      '.platform/nginx/conf.d/proxy.conf',
      'docker-compose.yml',
      'src/app.js'
    ])
  })

  it('is readable by yauzl with the right names, contents, modes and a fixed DOS time', async () => {
    const ws = await workspace(tree)
    const built = await writeDeterministicZip(await collect(ws, ['.platform', 'src']), join(root, 'read.zip'))
    const entries = await readZip(built.path)
    expect(entries.map(e => [e.name, e.mode.toString(8)])).toEqual([
      ['.platform/hooks/predeploy/01-migrate.sh', '100755'],
      ['.platform/nginx/conf.d/proxy.conf', '100644'],
      ['docker-compose.yml', '100644'],
      ['src/app.js', '100644']
    ])
    expect(entries.find(e => e.name === 'docker-compose.yml')?.content).toBe(compose.toString())
    expect(entries.find(e => e.name === 'src/app.js')?.content).toBe('console.log(1)\n')
    for (const e of entries) {
      expect(e.dosDate).toBe((0 << 9) | (1 << 5) | 1) // 1980-01-01
      expect(e.dosTime).toBe(0)
      expect(e.extraFields).toBe(0)
    }
  })

  it('streams a 12 MB file (more than two 5 MiB upload parts) through with the right size and sha256', async () => {
    const ws = await workspace({})
    const big = join(ws, 'big.bin')
    const out = createWriteStream(big)
    const content = createHash('sha256')
    for (let i = 0; i < 12; i++) {
      const block = randomBytes(1024 * 1024) // a fresh buffer: write() keeps a reference until flushed
      content.update(block)
      if (!out.write(block)) await new Promise<void>(r => out.once('drain', () => r()))
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())))
    const built = await writeDeterministicZip(await collect(ws, ['big.bin']), join(root, 'big.zip'))
    const bytes = await readFile(built.path)
    expect(built.size).toBe(bytes.length)
    expect(built.size).toBeGreaterThan(12 * 1024 * 1024) // incompressible: stored size ≈ input
    expect(built.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      yauzl.open(built.path, { lazyEntries: true }, (err, zip) => {
        if (err || !zip) return reject(err ?? new Error('no zip'))
        zip.on('entry', (entry: yauzl.Entry) => {
          if (entry.fileName !== 'big.bin') return zip.readEntry()
          zip.openReadStream(entry, (e2, s) => (e2 || !s ? reject(e2) : resolve(s)))
        })
        zip.readEntry()
      })
    )
    const back = createHash('sha256')
    for await (const chunk of stream) back.update(chunk as Buffer)
    expect(back.digest('hex')).toBe(content.digest('hex'))
  })
})

describe('inspectBundle', () => {
  async function zipOf(name: string, files: Record<string, string>): Promise<string> {
    const zip = new yazl.ZipFile()
    for (const [n, c] of Object.entries(files)) zip.addBuffer(Buffer.from(c), n)
    zip.end()
    const path = join(root, name)
    await new Promise<void>((resolve, reject) =>
      zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject)
    )
    return path
  }

  it('accepts docker-compose.yml or Dockerrun.aws.json at the root and hashes the file', async () => {
    const path = await zipOf('ok.zip', {
      'docker-compose.yml': 'services: {}',
      '.ebextensions/a.config': 'x'
    })
    const info = await inspectBundle(path)
    const bytes = await readFile(path)
    expect(info).toEqual({
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      hasCompose: true,
      hasDockerrun: false,
      entries: ['docker-compose.yml', '.ebextensions/a.config']
    })
    const v1 = await inspectBundle(await zipOf('v1.zip', { 'Dockerrun.aws.json': '{}' }))
    expect([v1.hasCompose, v1.hasDockerrun]).toEqual([false, true])
  })

  it('names what is at the root when neither file is there, and spots a nested folder', async () => {
    const path = await zipOf('nested.zip', { 'app/docker-compose.yml': 'x', 'README.md': 'x' })
    await expectBundleError(
      inspectBundle(path),
      'bundle',
      /neither docker-compose\.yml nor Dockerrun\.aws\.json.*root holds: app\/, README\.md\..*Found "app\/docker-compose\.yml"/s
    )
    const flat = await zipOf('flat.zip', { 'README.md': 'x', Dockerfile: 'FROM x' })
    await expectBundleError(inspectBundle(flat), 'bundle', /root holds: README\.md, Dockerfile\./)
  })

  it('refuses files that are not zips and paths that are not files', async () => {
    const notZip = join(root, 'not.zip')
    await writeFile(notZip, 'this is not a zip file at all')
    await expectBundleError(inspectBundle(notZip), 'bundle', /not a readable zip/)
    await expectBundleError(inspectBundle(join(root, 'missing.zip')), 'bundle', /not a file/)
    await expectBundleError(inspectBundle(root), 'bundle', /not a file/)
  })
})
