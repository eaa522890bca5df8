/**
 * A REAL registry for the end-to-end tests: Debian's `docker-registry` (CNCF distribution 2.8), started on
 * 127.0.0.1 with its own config (filesystem storage in a temp dir, no auth, log level warn), and a helper that
 * pushes an image to it over plain HTTP the way `docker push` does (blob uploads, then the manifest).
 *
 * When the binary is missing, `startRegistry` throws with the command that installs it: the tests fail
 * loudly, never skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface LocalRegistry {
  /** `127.0.0.1:PORT` */
  registry: string
  url: string
  close(): Promise<void>
}

/** Where the binary is, or a clear error saying how to install it. */
export function registryBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' })
  const path = found.stdout.trim()
  if (found.status !== 0 || path === '') {
    throw new Error(
      "Debian's docker-registry is not installed, and the real-registry tests need it: run `sudo apt-get install docker-registry` (npm test's pretest and .ci/run install it when they run as root)."
    )
  }
  return path
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs = 15_000
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr()}`)
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) })
      if (response.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`docker-registry did not answer on ${url} within ${timeoutMs} ms: ${stderr()}`)
}

export async function startRegistry(): Promise<LocalRegistry> {
  const binary = registryBinary()
  const dir = mkdtempSync(join(tmpdir(), 'registry-'))
  const port = await freePort()
  const config = join(dir, 'config.yml')
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${createHash('sha256').update(dir).digest('hex')}`,
      ''
    ].join('\n')
  )
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', chunk => (stderr = (stderr + String(chunk)).slice(-4000)))
  const url = `http://127.0.0.1:${port}`
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilUp(url, child, () => stderr)
  } catch (error) {
    await close()
    throw error
  }
  return { registry: `127.0.0.1:${port}`, url, close }
}

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`

/** Uploads one blob: POST /v2/<name>/blobs/uploads/, then PUT <location>?digest= with the bytes. */
async function pushBlob(url: string, repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data)
  const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST' })
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${await start.text()}`)
  const location = new URL(start.headers.get('location') ?? '', url)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
    body: data
  })
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`)
  return digest
}

/**
 * Pushes a small single-layer image as `repository:tag` and returns the manifest digest the registry
 * reported (checked against the sha256 of the bytes sent).
 */
export async function pushImage(url: string, repository: string, tag: string): Promise<string> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: {}
    })
  )
  const layer = gzipSync(Buffer.from(`a layer of ${repository}:${tag}\n`))
  const configDigest = await pushBlob(url, repository, config)
  const layerDigest = await pushBlob(url, repository, layer)
  const mediaType = 'application/vnd.docker.distribution.manifest.v2+json'
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: config.length,
      digest: configDigest
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.length,
        digest: layerDigest
      }
    ]
  })
  const put = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': mediaType },
    body: manifest
  })
  if (put.status !== 201) throw new Error(`manifest push: ${put.status} ${await put.text()}`)
  const digest = put.headers.get('docker-content-digest') ?? ''
  if (digest !== sha256(manifest))
    throw new Error(`the registry reported ${digest} for a manifest of ${sha256(manifest)}`)
  return digest
}
