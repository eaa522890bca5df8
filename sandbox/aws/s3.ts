/**
 * S3 for bundles: s3rver (an independent S3 implementation) served in-process from a temp directory on
 * 127.0.0.1. The sandbox wraps its request handler to log the calls and to inject faults when a scenario
 * names S3 operations. s3rver knows one account, S3RVER/S3RVER (hence the sandbox's dummy credentials):
 * another access key id is refused with InvalidAccessKeyId; it does not verify SigV4 signatures.
 *
 * Conditional writes, which s3rver does not know, are S3's: PutObject (CopyObject too) and CompleteMultipartUpload
 * with If-None-Match: * are refused with 412 PreconditionFailed when the key exists, and with 409
 * ConditionalRequestConflict while another conditional write to the key is under way; another If-None-Match value
 * is 501 NotImplemented. Nothing reaches s3rver then, so the object is unchanged. A lost reply (lostReplies) takes
 * effect in s3rver, then the connection drops before the answer.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'
import type { Faults } from './faults.js'
import type { RequestLogEntry } from './types.js'
import { regionFromAuthorization } from './signing.js'

export { S3_ACCESS_KEY, S3_SECRET_KEY } from './types.js'

export interface S3Service {
  url: string
  ensureBucket(name: string): Promise<void>
  /** The whole object, or undefined when there is no such bucket/key. */
  readObject(bucket: string, key: string): Promise<Buffer | undefined>
  /** Writes an object (as Beanstalk's instances write their logs to its bucket). */
  putObject(bucket: string, key: string, body: Buffer): Promise<void>
  /** Deletes the object (a missing key is fine, as in S3); false when there is no such bucket. */
  deleteObject(bucket: string, key: string): Promise<boolean>
  close(): Promise<void>
}

/** The S3 operation a request is, from its method, path and query (path-style). */
export function s3Operation(method: string, url: URL): string {
  const q = url.searchParams
  const parts = url.pathname.split('/').filter(Boolean)
  const hasKey = parts.length > 1
  if (!hasKey) {
    if (parts.length === 0) return 'ListBuckets'
    if (method === 'PUT') return 'CreateBucket'
    if (method === 'DELETE') return 'DeleteBucket'
    if (method === 'HEAD') return 'HeadBucket'
    if (q.has('location')) return 'GetBucketLocation'
    if (q.has('uploads')) return 'ListMultipartUploads'
    return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects'
  }
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload'
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload'
  if (method === 'PUT' && q.has('partNumber')) return 'UploadPart'
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload'
  if (method === 'PUT') return 'PutObject'
  if (method === 'HEAD') return 'HeadObject'
  if (method === 'DELETE') return 'DeleteObject'
  if (q.has('uploadId')) return 'ListParts'
  return 'GetObject'
}

function s3Params(url: URL, req: IncomingMessage): Record<string, unknown> {
  const [bucket, ...key] = url.pathname.split('/').filter(Boolean)
  const params: Record<string, unknown> = {}
  if (bucket) params.Bucket = decodeURIComponent(bucket)
  if (key.length) params.Key = key.map(decodeURIComponent).join('/')
  for (const [name, value] of url.searchParams) if (name !== 'x-id') params[name] = value
  const meta = Object.entries(req.headers).filter(([h]) => h.startsWith('x-amz-meta-'))
  if (meta.length) params.Metadata = Object.fromEntries(meta.map(([h, v]) => [h.slice(11), v]))
  return params
}

/** Listens on 127.0.0.1 (loopback only); a port in use is an error, not a hang. */
export async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** S3's own wording for the faults: SlowDown for throttling, InternalError for 5xx. */
function s3FaultBody(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`
}

/** The writes that make an object, and so honour If-None-Match. */
const CONDITIONAL_WRITES = new Set(['PutObject', 'CompleteMultipartUpload'])

/** S3's answer to a conditional write that may not go ahead, or undefined when it may. */
async function refusedWrite(
  operation: string,
  req: IncomingMessage,
  exists: () => Promise<boolean>,
  underWay: boolean
): Promise<[number, string, string, string?] | undefined> {
  const condition = req.headers['if-none-match']
  if (!CONDITIONAL_WRITES.has(operation) || condition === undefined) return undefined
  if (condition !== '*')
    return [
      501,
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
      '<Header>If-None-Match</Header>'
    ]
  if (await exists())
    return [
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      '<Condition>If-None-Match</Condition>'
    ]
  if (underWay)
    return [
      409,
      'ConditionalRequestConflict',
      'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.'
    ]
  return undefined
}

/** `port`: the port to listen on (0: a free one), or an HTTP server already listening to serve on */
export async function startS3(
  log: (entry: RequestLogEntry) => void,
  defaultRegion: string,
  faults: Faults,
  port: number | Server = 0
): Promise<S3Service> {
  const directory = mkdtempSync(join(tmpdir(), 'sandbox-s3-'))
  const s3rver = new S3rver({ directory, silent: true, resetOnClose: false })
  const handle = s3rver.callback()
  const server: Server = typeof port === 'number' ? createServer() : port
  /** Keys (bucket/key) with a conditional write under way. */
  const writing = new Set<string>()
  /** Answers as S3 does, after draining the request (an upload's body, a completion's parts). */
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    error: [number, string, string, string?],
    fault?: RequestLogEntry['fault']
  ) => {
    const [status, code, message, extra] = error
    req.resume()
    req.on('end', () => {
      log({ ...entry, status, fault, errorCode: code })
      res.writeHead(status, { 'content-type': 'application/xml' })
      res.end(req.method === 'HEAD' ? undefined : s3FaultBody(code, message, extra))
    })
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res).catch(error => {
      res.writeHead(500, { 'content-type': 'application/xml' })
      res.end(s3FaultBody('InternalError', String(error)))
    })
  })
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const operation = s3Operation(req.method ?? 'GET', url)
    const entry: RequestLogEntry = {
      time: Date.now(),
      service: 's3',
      region: regionFromAuthorization(req.headers.authorization) ?? defaultRegion,
      operation,
      params: s3Params(url, req),
      status: 0
    }
    const fault = faults.decide(operation, 's3')
    if (fault === 'reset') {
      log({ ...entry, fault })
      req.socket.destroy()
      return
    }
    if (fault) {
      // drain the upload first, then answer as S3 does; nothing reaches s3rver
      answer(
        req,
        res,
        entry,
        fault === 'throttle'
          ? [503, 'SlowDown', 'Please reduce your request rate.']
          : [500, 'InternalError', 'We encountered an internal error. Please try again.'],
        fault
      )
      return
    }
    const { Bucket, Key } = entry.params as { Bucket?: string; Key?: string }
    const target = `${Bucket}/${Key}`
    // claimed before anything is awaited, so of two conditional writes to one key the second sees the first
    const conditional = CONDITIONAL_WRITES.has(operation) && req.headers['if-none-match'] !== undefined
    const underWay = conditional && writing.has(target)
    if (conditional && !underWay) {
      writing.add(target)
      res.on('close', () => writing.delete(target))
    }
    const refused = await refusedWrite(
      operation,
      req,
      async () =>
        Bucket !== undefined &&
        Key !== undefined &&
        (await s3rver.store.getBucket(Bucket)) !== null &&
        (await s3rver.store.existsObject(Bucket, Key)),
      underWay
    )
    if (refused) {
      answer(req, res, entry, refused)
      return
    }
    // a lost reply (FaultSpec.lostReplies): s3rver carries the call out, then the connection drops before its answer
    let lost = false
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse
    res.writeHead = ((...args: unknown[]) => {
      const status = typeof args[0] === 'number' ? args[0] : res.statusCode
      if (status < 400 && faults.replyFault(operation) === 'lost-reply') {
        lost = true
        log({ ...entry, status, fault: 'lost-reply' })
        req.socket.destroy()
        return res
      }
      return writeHead(...args)
    }) as ServerResponse['writeHead']
    res.on('finish', () => {
      if (lost) return
      log({
        ...entry,
        status: res.statusCode,
        errorCode: res.statusCode >= 400 ? String(res.statusCode) : undefined
      })
    })
    const delay = faults.delayMs(operation, 's3')
    if (delay > 0) setTimeout(() => handle(req, res), delay)
    else handle(req, res)
  }
  try {
    if (typeof port === 'number') await listen(server, port)
  } catch (error) {
    s3rver.logger.close()
    rmSync(directory, { recursive: true, force: true })
    throw error
  }
  const bound = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${bound}`,
    async ensureBucket(name) {
      if (!(await s3rver.store.getBucket(name))) await s3rver.store.putBucket(name)
    },
    async readObject(bucket, key) {
      if (!(await s3rver.store.getBucket(bucket))) return undefined
      const object = await s3rver.store.getObject(bucket, key)
      if (!object?.content) return object ? Buffer.alloc(0) : undefined
      const chunks: Buffer[] = []
      for await (const chunk of object.content) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks)
    },
    async putObject(bucket, key, body) {
      await s3rver.store.putObject({
        bucket,
        key,
        content: body,
        metadata: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length) }
      })
    },
    async deleteObject(bucket, key) {
      if (!(await s3rver.store.getBucket(bucket))) return false
      if (await s3rver.store.existsObject(bucket, key)) await s3rver.store.deleteObject(bucket, key)
      return true
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
      s3rver.logger.close()
      rmSync(directory, { recursive: true, force: true })
    }
  }
}
