/**
 * The local AWS sandbox: Elastic Beanstalk (Query protocol) and CloudFront (REST-XML) on one HTTP server,
 * S3 through s3rver on another, all on 127.0.0.1 with ephemeral ports. The AWS SDK reaches it through its
 * own endpoint variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3): product code has no special path.
 *
 * Contract: /work/notes/SANDBOX-API.md. Never bundled into dist/.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Beanstalk, type Params } from './beanstalk.js'
import { CloudFront, cloudFrontRoute, CLOUDFRONT_NS } from './cloudfront.js'
import { Faults } from './faults.js'
import { listen, startS3 } from './s3.js'
import { scenarios } from './scenarios.js'
import { regionFromAuthorization, serviceFromAuthorization } from './signing.js'
import { handleSts, STS_NS } from './sts.js'
import {
  AwsError,
  DEFAULT_REGION,
  sandboxEnv,
  type FaultSpec,
  type RequestLogEntry,
  type Sandbox,
  type SandboxScenario,
  type Service
} from './types.js'
import { toXml, type XmlNode } from './xml.js'

export * from './types.js'
export { scenarios } from './scenarios.js'
export { environmentId } from './beanstalk.js'
export { DEFAULT_PLATFORMS, type PlatformCatalogSpec } from './platforms.js'

export const MUTATING_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateStorageLocation',
  'CreateApplicationVersion',
  'UpdateEnvironment',
  'AbortEnvironmentUpdate',
  'DeleteApplicationVersion',
  'SwapEnvironmentCNAMEs',
  'TerminateEnvironment',
  'CreateConfigurationTemplate',
  'DeleteConfigurationTemplate',
  'CreateEnvironment',
  'CreateInvalidation',
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload'
])

const BEANSTALK_NS = 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/'

interface Answer {
  status: number
  body: string
  headers?: Record<string, string>
  errorCode?: string
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function beanstalkError(error: AwsError, requestId: string, type = 'Sender', ns = BEANSTALK_NS): Answer {
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${ns}">` +
    toXml({ Error: { Type: type, Code: error.code, Message: error.message }, RequestId: requestId }) +
    '</ErrorResponse>'
  return { status: error.status, body, errorCode: error.code }
}

function cloudFrontError(error: AwsError, requestId: string, type = 'Sender'): Answer {
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${CLOUDFRONT_NS}">` +
    toXml({ Error: { Type: type, Code: error.code, Message: error.message }, RequestId: requestId }) +
    '</ErrorResponse>'
  return { status: error.status, body, errorCode: error.code }
}

function beanstalkResult(
  operation: string,
  result: XmlNode | undefined,
  requestId: string,
  ns = BEANSTALK_NS
): Answer {
  const inner = result ? `<${operation}Result>${toXml(result)}</${operation}Result>` : ''
  const body =
    `<?xml version="1.0"?>\n<${operation}Response xmlns="${ns}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  return { status: 200, body }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function resolveScenario(scenario: SandboxScenario | string): SandboxScenario {
  if (typeof scenario !== 'string') return scenario
  const found = scenarios[scenario]
  if (!found) {
    throw new Error(`Unknown sandbox scenario "${scenario}". Known: ${Object.keys(scenarios).join(', ')}`)
  }
  return found
}

export interface SandboxOptions {
  /** no console output (the sandbox itself prints nothing unless it hits a bug; kept for the contract) */
  silent?: boolean
  /** called with every log entry as it is recorded (the CLI prints them) */
  onRequest?: (entry: RequestLogEntry) => void
  /** the clock for lifecycles and invalidations (default Date.now): tests may drive time by hand */
  now?: () => number
  /** fixed ports (default 0: ephemeral), e.g. for an .env file used with local-action or act */
  port?: number
  s3Port?: number
  /**
   * HTTP servers already listening on 127.0.0.1 to serve on, instead of listening on `port` and `s3Port`
   * (npm run local listens first, so that local-action can start while the sandbox loads); close() closes them
   */
  servers?: { main: Server; s3: Server }
}

export async function startSandbox(
  scenarioOrName: SandboxScenario | string,
  options: SandboxOptions = {}
): Promise<Sandbox> {
  const scenario = resolveScenario(scenarioOrName)
  const requests: RequestLogEntry[] = []
  const log = (entry: RequestLogEntry) => {
    requests.push(entry)
    options.onRequest?.(entry)
  }
  const faults = new Faults(scenario.faults, options.now ?? Date.now)
  const s3 = await startS3(log, DEFAULT_REGION, faults, options.servers?.s3 ?? options.s3Port ?? 0)
  const beanstalk = new Beanstalk(scenario, s3, options.now)
  await beanstalk.prepareStorage()
  const cloudfront = new CloudFront(scenario, beanstalk.accountId, options.now)

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    service: Service,
    region: string,
    operation: string,
    params: Record<string, unknown>,
    requestId: string,
    run: () => Promise<Answer>,
    error: (e: AwsError, type?: string) => Answer
  ): Promise<void> {
    const entry: RequestLogEntry = {
      time: (options.now ?? Date.now)(),
      service,
      region,
      operation,
      params,
      status: 0
    }
    const delay = faults.delayMs(operation, service)
    if (delay > 0) await sleep(delay)
    const fault = faults.decide(operation, service)
    let out: Answer
    if (fault === 'reset') {
      log({ ...entry, fault })
      req.socket.destroy()
      return
    } else if (fault === 'throttle') {
      out = error(new AwsError('Throttling', 'Rate exceeded', 400))
    } else if (fault === '5xx') {
      const e = faults.serverError()
      out = error(new AwsError(e.code, e.message, e.status), 'Receiver')
    } else if (faults.expired(operation)) {
      const e = new AwsError('ExpiredToken', 'The security token included in the request is expired', 403)
      log({ ...entry, status: 403, fault: 'expired', errorCode: e.code })
      const answer = error(e)
      res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId })
      res.end(answer.body)
      return
    } else if (faults.echoes(operation)) {
      // as AWS does for SignatureDoesNotMatch: the request it saw, headers included, in the message
      const seen = Object.entries(req.headers)
        .map(([name, value]) => `${name}:${String(value)}`)
        .join('\n')
      const e = new AwsError(
        'AccessDenied',
        `User is not authorized to perform: ${service}:${operation}. The request was: ${req.method} ${req.url}\n${seen}`,
        403
      )
      log({ ...entry, status: 403, fault: 'echo', errorCode: e.code })
      const answer = error(e)
      res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId })
      res.end(answer.body)
      return
    } else {
      try {
        out = await run()
      } catch (e) {
        if (!(e instanceof AwsError)) {
          console.error('sandbox: internal error', e)
          out = error(new AwsError('InternalFailure', String(e), 500), 'Receiver')
        } else out = error(e)
      }
    }
    const replyFault = out.status < 400 ? faults.replyFault(operation) : undefined
    if (replyFault === 'lost-reply') {
      // the call took effect; its reply never arrives
      log({ ...entry, status: out.status, fault: replyFault })
      req.socket.destroy()
      return
    }
    if (replyFault === 'malformed') {
      log({ ...entry, status: out.status, fault: replyFault })
      res.writeHead(out.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId })
      res.end(out.body.slice(0, Math.max(1, Math.floor(out.body.length / 2))))
      return
    }
    log({ ...entry, status: out.status, fault, errorCode: out.errorCode })
    res.writeHead(out.status, {
      'content-type': 'text/xml',
      'x-amzn-requestid': requestId,
      ...out.headers
    })
    res.end(out.body)
  }

  const server = options.servers?.main ?? createServer()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const requestId = randomUUID()
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const body = await readBody(req)
      const route = cloudFrontRoute(req.method ?? 'GET', url)
      if (route) {
        const params: Record<string, unknown> = { ...route.params }
        for (const [k, v] of url.searchParams) params[k] = v
        if (route.operation === 'CreateInvalidation') Object.assign(params, cloudfront.batchParams(body))
        if (body) params.body = body
        await answer(
          req,
          res,
          'cloudfront',
          // the region the client signed for (CloudFront's API is global and signs for us-east-1)
          regionFromAuthorization(req.headers.authorization) ?? 'us-east-1',
          route.operation,
          params,
          requestId,
          async () => cloudfront.handle(route, url, body, requestId),
          (e, type) => cloudFrontError(e, requestId, type)
        )
        return
      }
      const form = new URLSearchParams(req.method === 'POST' ? body : url.search)
      const params: Params = {}
      for (const [k, v] of form) params[k] = v
      const operation = params.Action ?? 'Unknown'
      delete params.Action
      delete params.Version
      const region = regionFromAuthorization(req.headers.authorization) ?? DEFAULT_REGION
      if (
        serviceFromAuthorization(req.headers.authorization) === 'sts' ||
        form.get('Version') === '2011-06-15'
      ) {
        await answer(
          req,
          res,
          'sts',
          region,
          operation,
          params,
          requestId,
          async () =>
            beanstalkResult(operation, handleSts(operation, beanstalk.accountId), requestId, STS_NS),
          (e, type) => beanstalkError(e, requestId, type, STS_NS)
        )
        return
      }
      await answer(
        req,
        res,
        'elasticbeanstalk',
        region,
        operation,
        params,
        requestId,
        async () =>
          beanstalkResult(operation, await beanstalk.handle(operation, params, region, requestId), requestId),
        (e, type) => beanstalkError(e, requestId, type)
      )
    })().catch(err => {
      console.error('sandbox: request failed', err)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  try {
    if (!options.servers) await listen(server, options.port ?? 0)
  } catch (error) {
    await s3.close()
    throw error
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  // calls that took effect: those whose reply was lost or malformed afterwards included
  const ok = (r: RequestLogEntry) =>
    (r.fault === undefined || r.fault === 'lost-reply' || r.fault === 'malformed') &&
    r.status > 0 &&
    r.status < 400
  return {
    url,
    s3Url: s3.url,
    env: sandboxEnv(url, s3.url),
    requests,
    calls: operation => requests.filter(r => r.operation === operation && ok(r)),
    mutatingCalls: () => requests.filter(r => MUTATING_OPERATIONS.has(r.operation) && ok(r)),
    environment: (name, region) => beanstalk.environment(name, region),
    version: (app, label, region) => beanstalk.version(app, label, region),
    settings: (environment, region) => beanstalk.settingsOf(environment, region),
    storageBucket: region => beanstalk.storageBucket(region),
    setFaults: (spec: FaultSpec | undefined) => faults.set(spec),
    peakRequests(service: Service, windowMs = 60_000, which: 'all' | 'answered' = 'all') {
      const times = requests
        .filter(r => r.service === service && (which === 'all' || r.fault !== 'throttle'))
        .map(r => r.time)
        .sort((a, b) => a - b)
      let peak = 0
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= windowMs) j++
        peak = Math.max(peak, i - j + 1)
      }
      return peak
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      await s3.close()
    }
  }
}
