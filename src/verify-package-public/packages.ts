import * as github from '@actions/github'
import { STATUS_CODES } from 'node:http'
import { networkReason, type Fetch } from './registry.js'
import { debug } from '../common/log.js'

export type Visibility = 'public' | 'private' | 'internal'
export type OwnerType = 'orgs' | 'users'

/** What the GitHub packages API says about a container package. */
export type ApiResult =
  | { kind: 'found'; visibility: Visibility; ownerType: OwnerType; htmlUrl?: string }
  /** Neither the organisation nor the user endpoint knows the package (or the token cannot see it). */
  | { kind: 'missing' }
  /** The API refused the token (401/403): e.g. GITHUB_TOKEN without `packages: read`. */
  | { kind: 'refused'; status: number; message: string }
  /** Not asked, or no usable answer: the pull check alone decides. */
  | { kind: 'unavailable'; reason: string }

export interface PackagesApiOptions {
  apiUrl: string
  token: string
  requestTimeoutMs: number
  /** Only to point the client at a stand-in in tests; by default @actions/github's fetch (with proxy support). */
  fetch?: Fetch
}

/** What Octokit throws: a RequestError with the HTTP status and the response, or (network) a cause. */
interface OctokitFailure {
  status?: number
  response?: { status: number; data?: unknown }
  cause?: unknown
}

/**
 * GET /orgs/{owner}/packages/container/{name}, then /users/{owner}/… when the organisation endpoint answers
 * 404 (the owner is a user), through @actions/github's Octokit (the API's base URL as given, the runner's
 * proxy settings). Names with `/` are encoded. Read-only; the token goes only to this API.
 */
export async function lookUpPackage(
  owner: string,
  name: string,
  options: PackagesApiOptions
): Promise<ApiResult> {
  const base = options.apiUrl.replace(/\/+$/, '')
  const octokit = github.getOctokit(options.token, {
    baseUrl: base,
    userAgent: 'imbit-actions/verify-package-public',
    // a `request` here would replace @actions/github's own (its proxy-aware fetch): only for an injected fetch
    ...(options.fetch ? { request: { fetch: options.fetch } } : {})
  })
  for (const ownerType of ['orgs', 'users'] as const) {
    const url = `${base}/${ownerType}/${encodeURIComponent(owner)}/packages/container/${encodeURIComponent(name)}`
    debug(`GET ${url}`)
    const common = {
      package_type: 'container' as const,
      package_name: name,
      headers: { 'X-GitHub-Api-Version': '2022-11-28' },
      request: { signal: AbortSignal.timeout(options.requestTimeoutMs) }
    }
    let status: number
    let body: { visibility?: unknown; html_url?: unknown; message?: unknown } | undefined
    try {
      const response =
        ownerType === 'orgs'
          ? await octokit.rest.packages.getPackageForOrganization({ ...common, org: owner })
          : await octokit.rest.packages.getPackageForUser({ ...common, username: owner })
      status = response.status
      body = response.data as typeof body
    } catch (error) {
      const failure = (typeof error === 'object' && error !== null ? error : {}) as OctokitFailure
      if (!failure.response) {
        return {
          kind: 'unavailable',
          reason: `the GitHub API did not answer: ${networkReason(failure.cause ?? error)}`
        }
      }
      status = failure.response.status
      const data = failure.response.data
      body = typeof data === 'object' && data !== null ? (data as typeof body) : undefined
    }
    const statusText = STATUS_CODES[status] ?? ''
    debug(`→ ${status} ${statusText}`)
    if (status === 404) continue
    if (status === 401 || status === 403) {
      const message = typeof body?.message === 'string' ? body.message : statusText
      return { kind: 'refused', status, message }
    }
    if (status !== 200) {
      return {
        kind: 'unavailable',
        reason: `the GitHub API answered ${status} ${statusText}`
      }
    }
    const visibility = body?.visibility
    if (visibility !== 'public' && visibility !== 'private' && visibility !== 'internal') {
      return {
        kind: 'unavailable',
        reason: `the GitHub API gave no known visibility (${String(visibility)})`
      }
    }
    return {
      kind: 'found',
      visibility,
      ownerType,
      htmlUrl: typeof body?.html_url === 'string' ? body.html_url : undefined
    }
  }
  return { kind: 'missing' }
}

/** Where a package's visibility is changed (there is no API for it): the package settings page. */
export function settingsUrl(serverUrl: string, ownerType: OwnerType, owner: string, name: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${ownerType}/${owner}/packages/container/${encodeURIComponent(name)}/settings`
}
