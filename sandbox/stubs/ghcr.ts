/**
 * A stand-in for ghcr.io on 127.0.0.1 (plain HTTP, ephemeral port): the registry's anonymous token flow and
 * the GitHub packages API, as verify-package-public meets them.
 *
 * Registry: a manifest request without a valid token gets `401` and
 * `WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",service="ghcr-stub",scope="repository:OWNER/NAME:pull"`.
 * The token endpoint hands out anonymous pull tokens for public packages and for names it does not know
 * (as a registry must not reveal what exists); it refuses private ones (403 DENIED). Internal packages get a
 * token, and the manifest is then refused (403), the other way a registry says no. A multi-arch package is an
 * OCI index, served only when the request accepts `application/vnd.oci.image.index.v1+json`. `failFirst` makes
 * the first manifest requests answer 503, as a registry having a bad moment. A single manifest's config blob
 * (`/v2/NAME/blobs/DIGEST`, same token) names its os and architecture (`architectures`).
 *
 * Packages API (`/api`): GET /orgs|users/{owner}/packages/container/{url-encoded name} with a token (`token X`
 * or `Bearer X`)
 * answers `visibility`, or 404; `apiRefuses` answers 403 "Resource not accessible by integration".
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type StubVisibility = 'public' | 'private' | 'internal'

export interface StubPackage {
  owner: string
  /** The package name under the owner; may hold `/`. */
  name: string
  visibility: StubVisibility
  /** `orgs` (default) or `users`: which packages API endpoint knows it. */
  ownerType?: 'orgs' | 'users'
  /** Tags that exist (default `['latest']`). */
  tags?: string[]
  /** Serve an OCI image index (multi-arch) instead of a single-platform manifest. */
  multiArch?: boolean
  /**
   * The linux architectures served (default amd64 and arm64 for an index, amd64 for a single manifest, whose
   * config blob names the first).
   */
  architectures?: string[]
  /** Tags that appear only this long after the stub started, like a push that is still settling. */
  appearsAfterMs?: number
}

export interface GhcrStubOptions {
  packages?: StubPackage[]
  /** The packages API refuses every token (403), as for a GITHUB_TOKEN without `packages: read`. */
  apiRefuses?: boolean
  /** The service name in the challenge (ghcr.io says `ghcr.io`). */
  service?: string
  /** The first this-many manifest requests answer 503 Service Unavailable (a registry having a bad moment). */
  failFirst?: number
  /** The clock for `appearsAfterMs` (default Date.now): tests may drive time by hand. */
  now?: () => number
  /** A fixed port (default 0: a free one), e.g. for `npm run registry -- --port N`. */
  port?: number
}

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export interface GhcrStub {
  /** `127.0.0.1:PORT`: the registry host to put in front of OWNER/NAME. */
  registry: string
  /** `http://127.0.0.1:PORT/api`: for GITHUB_API_URL. */
  apiUrl: string
  requests: RecordedRequest[]
  /** The digest the stub serves for `owner/name:tag` (what a pull must report). */
  digestOf(repository: string, tag: string): string
  close(): Promise<void>
}

export const DEFAULT_PACKAGES: StubPackage[] = [{ owner: 'imbit', name: 'demo-app', visibility: 'public' }]

const INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

const sha256 = (data: string | Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`

/** The config blob of a single-platform manifest: its os and architecture, as a runtime reads them. */
function configFor(pkg: StubPackage, tag: string): string {
  const architecture = pkg.architectures?.[0] ?? 'amd64'
  return JSON.stringify({
    architecture,
    os: 'linux',
    config: { Labels: { tag } },
    rootfs: { type: 'layers' }
  })
}

/** A deterministic manifest body for a repository and tag. */
function manifestFor(pkg: StubPackage, tag: string): { mediaType: string; body: string } {
  const repo = `${pkg.owner}/${pkg.name}`
  const configBody = configFor(pkg, tag)
  const config = {
    digest: sha256(configBody),
    size: Buffer.byteLength(configBody),
    mediaType: 'application/vnd.oci.image.config.v1+json'
  }
  const layer = {
    digest: sha256(`layer ${repo}:${tag}`),
    size: 2000,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip'
  }
  if (!pkg.multiArch) {
    return {
      mediaType: OCI_MANIFEST,
      body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] })
    }
  }
  const manifests = (pkg.architectures ?? ['amd64', 'arm64']).map(architecture => ({
    mediaType: OCI_MANIFEST,
    digest: sha256(`manifest ${repo}:${tag} ${architecture}`),
    size: 500,
    platform: { os: 'linux', architecture }
  }))
  return { mediaType: INDEX, body: JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }) }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}

function registryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {}
): void {
  json(res, status, { errors: [{ code, message }] }, headers)
}

export async function startGhcrStub(options: GhcrStubOptions = {}): Promise<GhcrStub> {
  const packages = options.packages ?? DEFAULT_PACKAGES
  const service = options.service ?? 'ghcr-stub'
  const now = options.now ?? Date.now
  const started = now()
  const requests: RecordedRequest[] = []
  /** Issued tokens → the repository they may pull. */
  const tokens = new Map<string, string>()
  let failures = 0
  const find = (repository: string) => packages.find(p => `${p.owner}/${p.name}` === repository)
  let origin = ''

  const challenge = (repository: string) =>
    `Bearer realm="${origin}/token",service="${service}",scope="repository:${repository}:pull"`

  function handleToken(url: URL, res: ServerResponse): void {
    if (url.searchParams.get('service') !== service) {
      return registryError(res, 400, 'UNSUPPORTED', `unknown service "${url.searchParams.get('service')}"`)
    }
    const scope = /^repository:([^:]+):pull$/.exec(url.searchParams.get('scope') ?? '')
    if (!scope) return registryError(res, 400, 'UNSUPPORTED', 'expected scope repository:NAME:pull')
    const pkg = find(scope[1])
    if (pkg && pkg.visibility === 'private') {
      return registryError(res, 403, 'DENIED', 'requested access to the resource is denied')
    }
    const token = randomBytes(12).toString('hex')
    tokens.set(token, scope[1])
    json(res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() })
  }

  function handleManifest(
    req: IncomingMessage,
    res: ServerResponse,
    repository: string,
    reference: string
  ): void {
    if (failures < (options.failFirst ?? 0)) {
      failures++
      return registryError(res, 503, 'UNAVAILABLE', 'service unavailable')
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!bearer || tokens.get(bearer) !== repository) {
      return registryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'WWW-Authenticate': challenge(repository)
      })
    }
    const pkg = find(repository)
    if (!pkg) return registryError(res, 404, 'NAME_UNKNOWN', 'repository name not known to registry')
    if (pkg.visibility !== 'public') {
      return registryError(res, 403, 'DENIED', 'requested access to the resource is denied')
    }
    const visible = now() - started >= (pkg.appearsAfterMs ?? 0)
    const tags = visible ? (pkg.tags ?? ['latest']) : []
    const manifests = tags.map(tag => ({ tag, ...manifestFor(pkg, tag) }))
    const match = manifests.find(m => m.tag === reference || sha256(m.body) === reference)
    const accepted = (req.headers.accept ?? '').split(',').map(type => type.split(';')[0].trim())
    if (!match || !accepted.includes(match.mediaType)) {
      return registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown')
    }
    res.writeHead(200, {
      'Content-Type': match.mediaType,
      'Content-Length': Buffer.byteLength(match.body),
      'Docker-Content-Digest': sha256(match.body)
    })
    res.end(req.method === 'HEAD' ? undefined : match.body)
  }

  /** A config blob of a single-platform manifest, with the same token as the manifest. */
  function handleBlob(req: IncomingMessage, res: ServerResponse, repository: string, digest: string): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!bearer || tokens.get(bearer) !== repository) {
      return registryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'WWW-Authenticate': challenge(repository)
      })
    }
    const pkg = find(repository)
    const blob =
      pkg && pkg.visibility === 'public'
        ? (pkg.tags ?? ['latest']).map(tag => configFor(pkg, tag)).find(b => sha256(b) === digest)
        : undefined
    if (!blob) return registryError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry')
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': Buffer.byteLength(blob),
      'Docker-Content-Digest': digest
    })
    res.end(req.method === 'HEAD' ? undefined : blob)
  }

  function handleApi(req: IncomingMessage, res: ServerResponse, path: string): void {
    const m = /^\/(orgs|users)\/([^/]+)\/packages\/container\/([^/]+)$/.exec(path)
    // GitHub's API takes a token in either scheme (`token X`, which Octokit sends, or `Bearer X`)
    if (!/^(Bearer|token) .+/.test(req.headers.authorization ?? '')) {
      return json(res, 401, { message: 'Requires authentication', status: '401' })
    }
    if (options.apiRefuses) {
      return json(res, 403, { message: 'Resource not accessible by integration', status: '403' })
    }
    const owner = m ? decodeURIComponent(m[2]) : ''
    const name = m ? decodeURIComponent(m[3]) : ''
    const pkg = m ? find(`${owner}/${name}`) : undefined
    if (!m || !pkg || (pkg.ownerType ?? 'orgs') !== m[1])
      return json(res, 404, { message: 'Not Found', status: '404' })
    json(res, 200, {
      id: 1,
      name: pkg.name,
      package_type: 'container',
      visibility: pkg.visibility,
      owner: { login: pkg.owner, type: m[1] === 'orgs' ? 'Organization' : 'User' },
      html_url: `https://github.com/${m[1]}/${pkg.owner}/packages/container/package/${encodeURIComponent(pkg.name)}`
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin)
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers })
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname)
    if (url.pathname === '/token' && req.method === 'GET') return handleToken(url, res)
    if (manifest && (req.method === 'HEAD' || req.method === 'GET'))
      return handleManifest(req, res, manifest[1], manifest[2])
    const blob = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(url.pathname)
    if (blob && (req.method === 'HEAD' || req.method === 'GET')) return handleBlob(req, res, blob[1], blob[2])
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      return registryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'WWW-Authenticate': `Bearer realm="${origin}/token",service="${service}"`
      })
    }
    // The API path keeps the name's encoding (`tools%2Fcli`): match on the raw path.
    const rawPath = (req.url ?? '/').split('?')[0]
    if (rawPath.startsWith('/api/') && req.method === 'GET') return handleApi(req, res, rawPath.slice(4))
    json(res, 404, { message: 'Not Found' })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`

  return {
    registry: `127.0.0.1:${port}`,
    apiUrl: `${origin}/api`,
    requests,
    digestOf(repository, tag) {
      const pkg = find(repository)
      if (!pkg) throw new Error(`the stub has no package ${repository}`)
      return sha256(manifestFor(pkg, tag).body)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(error => (error ? reject(error) : resolve()))
      })
  }
}
