/**
 * A small web site on 127.0.0.1 for check-url's tests (and the demo): each path answers from a script, one
 * answer per request (the last one repeats), or from a function of the request, and every request is recorded. An answer can also be "never":
 * the connection is accepted and nothing is sent, like an app that hangs.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SiteAnswer {
  status?: number
  headers?: Record<string, string>
  body?: string
}

export type Script = Array<SiteAnswer | 'never'>

/** A route answers from a script, or from a function of the request (an app whose answer depends on state). */
export type Route = Script | ((request: SiteRequest) => SiteAnswer)

export interface SiteRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
}

/** A self-signed certificate for 127.0.0.1 (openssl), and the file a client can trust it from. */
export interface Certificate {
  key: string
  cert: string
  certFile: string
}

export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'site-tls-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1'
    ],
    { stdio: 'ignore' }
  )
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile }
}

export interface Site {
  /** http://127.0.0.1:PORT, or https:// when started with a certificate */
  origin: string
  url(path: string): string
  requests: SiteRequest[]
  close(): Promise<void>
}

export async function startSite(
  routes: Record<string, Route>,
  options: { tls?: Certificate } = {}
): Promise<Site> {
  const requests: SiteRequest[] = []
  const served: Record<string, number> = {}
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const request: SiteRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers
    }
    requests.push(request)
    const script = routes[url.pathname]
    if (!script) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
      return
    }
    const index = Math.min(served[url.pathname] ?? 0, script.length - 1)
    served[url.pathname] = (served[url.pathname] ?? 0) + 1
    const answer = typeof script === 'function' ? script(request) : script[index]
    if (answer === 'never') return
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...answer.headers })
    res.end(answer.body ?? '')
  }
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: path => `${origin}${path}`,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
