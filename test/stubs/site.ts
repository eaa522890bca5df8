/**
 * A small web site on 127.0.0.1 for check-url's tests (and the demo): each path answers from a script, one
 * answer per request (the last one repeats), and every request is recorded. An answer can also be "never":
 * the connection is accepted and nothing is sent, like an app that hangs.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SiteAnswer {
  status?: number
  headers?: Record<string, string>
  body?: string
}

export type Script = Array<SiteAnswer | 'never'>

export interface SiteRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
}

export interface Site {
  /** http://127.0.0.1:PORT */
  origin: string
  url(path: string): string
  requests: SiteRequest[]
  close(): Promise<void>
}

export async function startSite(routes: Record<string, Script>): Promise<Site> {
  const requests: SiteRequest[] = []
  const served: Record<string, number> = {}
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers
    })
    const script = routes[url.pathname]
    if (!script) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
      return
    }
    const index = Math.min(served[url.pathname] ?? 0, script.length - 1)
    served[url.pathname] = (served[url.pathname] ?? 0) + 1
    const answer = script[index]
    if (answer === 'never') return
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...answer.headers })
    res.end(answer.body ?? '')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
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
