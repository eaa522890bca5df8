/**
 * CloudFront's REST-XML API (2020-05-31): distributions and invalidations. Global (us-east-1 signing).
 * Invalidation status is computed from its create time: InProgress → Completed after invalidationMs.
 */
import { XMLParser } from 'fast-xml-parser'
import { AwsError, type DistributionSpec, type SandboxScenario } from './types.js'
import { toXml, type XmlNode } from './xml.js'

export const CLOUDFRONT_NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/'
export const CLOUDFRONT_OPERATIONS = [
  'ListDistributions',
  'GetDistribution',
  'GetDistributionConfig',
  'CreateInvalidation',
  'GetInvalidation',
  'ListInvalidations'
] as const

/** CloudFront's limits on invalidations in progress per distribution. */
export const MAX_WILDCARD_IN_PROGRESS = 15
export const MAX_PATHS_IN_PROGRESS = 3000

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad'
const ALL_VIEWER_EXCEPT_HOST = 'b689b0a8-53d0-40ab-baf2-68738e2966ac'

export interface CloudFrontRoute {
  operation: (typeof CLOUDFRONT_OPERATIONS)[number]
  params: { Id?: string; InvalidationId?: string }
}

/** The operation of a request under /2020-05-31/, or undefined when it is not a CloudFront path. */
export function cloudFrontRoute(method: string, url: URL): CloudFrontRoute | undefined {
  const m = /^\/2020-05-31\/distribution(?:\/([^/]+)(?:\/(config|invalidation)(?:\/([^/]+))?)?)?\/?$/.exec(
    url.pathname
  )
  if (!m) return undefined
  const [, rawId, sub, rawInv] = m
  const Id = rawId && decodeURIComponent(rawId)
  const InvalidationId = rawInv && decodeURIComponent(rawInv)
  if (!Id) return method === 'GET' ? { operation: 'ListDistributions', params: {} } : undefined
  if (!sub) return method === 'GET' ? { operation: 'GetDistribution', params: { Id } } : undefined
  if (sub === 'config')
    return method === 'GET' ? { operation: 'GetDistributionConfig', params: { Id } } : undefined
  if (InvalidationId)
    return method === 'GET' ? { operation: 'GetInvalidation', params: { Id, InvalidationId } } : undefined
  if (method === 'POST') return { operation: 'CreateInvalidation', params: { Id } }
  if (method === 'GET') return { operation: 'ListInvalidations', params: { Id } }
  return undefined
}

interface Invalidation {
  id: string
  distributionId: string
  callerReference: string
  paths: string[]
  created: number
  completesAt: number
}

interface Distribution {
  spec: DistributionSpec
  domainName: string
  lastModified: number
  invalidations: Invalidation[]
}

export interface Answer {
  status: number
  body: string
  headers?: Record<string, string>
}

function document(root: string, node: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${CLOUDFRONT_NS}">${toXml(node)}</${root}>`
}

function quantity(tag: string, items: string[]): XmlNode {
  return items.length ? { Quantity: items.length, Items: { [tag]: items } } : { Quantity: 0 }
}

function parseMaxItems(value: string | null): number {
  if (value === null) return 100
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new AwsError('InvalidArgument', `Invalid value for MaxItems: ${value}`)
  return Math.min(n, 1000)
}

/** A page after `marker` (an id), with NextMarker = the last id on the page when more follow. */
function page<T extends { id: string }>(items: T[], marker: string | null, max: number) {
  const start = marker ? items.findIndex(i => i.id === marker) + 1 : 0
  const slice = items.slice(start, start + max)
  const truncated = start + max < items.length
  return { slice, truncated, next: truncated ? slice[slice.length - 1]?.id : undefined }
}

export class CloudFront {
  private readonly distributions: Distribution[]
  private readonly parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: name => name === 'Path'
  })
  private counter = 0

  constructor(
    scenario: SandboxScenario,
    private readonly accountId: string,
    private readonly now: () => number = Date.now
  ) {
    const t = this.now() - 86_400_000
    this.distributions = (scenario.distributions ?? []).map(spec => ({
      spec,
      domainName: spec.domainName ?? `d${spec.id.toLowerCase().slice(0, 13)}.cloudfront.net`,
      lastModified: t,
      invalidations: []
    }))
  }

  handle(route: CloudFrontRoute, url: URL, body: string, _requestId: string): Answer {
    const q = url.searchParams
    switch (route.operation) {
      case 'ListDistributions':
        return this.listDistributions(q.get('Marker'), parseMaxItems(q.get('MaxItems')))
      case 'GetDistribution': {
        const d = this.find(route.params.Id)
        return this.ok('Distribution', this.distributionXml(d), { etag: this.etag(d) })
      }
      case 'GetDistributionConfig': {
        const d = this.find(route.params.Id)
        return this.ok('DistributionConfig', this.configXml(d), { etag: this.etag(d) })
      }
      case 'CreateInvalidation':
        return this.createInvalidation(this.find(route.params.Id), body)
      case 'GetInvalidation': {
        const d = this.find(route.params.Id)
        const inv = d.invalidations.find(i => i.id === route.params.InvalidationId)
        if (!inv) throw new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404)
        return this.ok('Invalidation', this.invalidationXml(inv))
      }
      case 'ListInvalidations':
        return this.listInvalidations(
          this.find(route.params.Id),
          q.get('Marker'),
          parseMaxItems(q.get('MaxItems'))
        )
    }
  }

  private ok(root: string, node: XmlNode, headers?: Record<string, string>, status = 200): Answer {
    return { status, body: document(root, node), headers }
  }

  private find(id: string | undefined): Distribution {
    const d = this.distributions.find(x => x.spec.id === id)
    if (!d) throw new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404)
    return d
  }

  private etag(d: Distribution): string {
    return `E${d.spec.id.slice(-6)}ETAG`.toUpperCase()
  }

  private status(inv: Invalidation): 'InProgress' | 'Completed' {
    return this.now() >= inv.completesAt ? 'Completed' : 'InProgress'
  }

  private configXml(d: Distribution): XmlNode {
    const origin =
      d.spec.originDomainName ?? `${d.spec.id.toLowerCase()}-origin.eu-central-1.elasticbeanstalk.com`
    const aliases = d.spec.aliases ?? []
    return {
      CallerReference: `sandbox-${d.spec.id}`,
      Aliases: quantity('CNAME', aliases),
      DefaultRootObject: '',
      Origins: {
        Quantity: 1,
        Items: {
          Origin: {
            Id: origin,
            DomainName: origin,
            OriginPath: '',
            CustomHeaders: { Quantity: 0 },
            CustomOriginConfig: {
              HTTPPort: 80,
              HTTPSPort: 443,
              OriginProtocolPolicy: 'http-only',
              OriginSslProtocols: { Quantity: 1, Items: { SslProtocol: 'TLSv1.2' } },
              OriginReadTimeout: 30,
              OriginKeepaliveTimeout: 5
            },
            ConnectionAttempts: 3,
            ConnectionTimeout: 10,
            OriginShield: { Enabled: false },
            OriginAccessControlId: ''
          }
        }
      },
      OriginGroups: { Quantity: 0 },
      DefaultCacheBehavior: {
        TargetOriginId: origin,
        TrustedSigners: { Enabled: false, Quantity: 0 },
        TrustedKeyGroups: { Enabled: false, Quantity: 0 },
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: {
          Quantity: 7,
          Items: { Method: ['HEAD', 'DELETE', 'POST', 'GET', 'OPTIONS', 'PUT', 'PATCH'] },
          CachedMethods: { Quantity: 2, Items: { Method: ['HEAD', 'GET'] } }
        },
        SmoothStreaming: false,
        Compress: true,
        LambdaFunctionAssociations: { Quantity: 0 },
        FunctionAssociations: { Quantity: 0 },
        FieldLevelEncryptionId: '',
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST
      },
      CacheBehaviors: { Quantity: 0 },
      CustomErrorResponses: { Quantity: 0 },
      Comment: d.spec.comment ?? '',
      Logging: { Enabled: false, IncludeCookies: false, Bucket: '', Prefix: '' },
      PriceClass: 'PriceClass_100',
      Enabled: true,
      ViewerCertificate: aliases.length
        ? {
            CloudFrontDefaultCertificate: false,
            ACMCertificateArn: `arn:aws:acm:us-east-1:${this.accountId}:certificate/00000000-0000-4000-8000-${d.spec.id.toLowerCase().padEnd(12, '0').slice(0, 12)}`,
            SSLSupportMethod: 'sni-only',
            MinimumProtocolVersion: 'TLSv1.2_2021',
            CertificateSource: 'acm'
          }
        : {
            CloudFrontDefaultCertificate: true,
            MinimumProtocolVersion: 'TLSv1',
            CertificateSource: 'cloudfront'
          },
      Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
      WebACLId: '',
      HttpVersion: 'http2',
      IsIPV6Enabled: true,
      Staging: false
    }
  }

  private distributionXml(d: Distribution): XmlNode {
    return {
      Id: d.spec.id,
      ARN: `arn:aws:cloudfront::${this.accountId}:distribution/${d.spec.id}`,
      Status: 'Deployed',
      LastModifiedTime: new Date(d.lastModified),
      InProgressInvalidationBatches: d.invalidations.filter(i => this.status(i) === 'InProgress').length,
      DomainName: d.domainName,
      ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
      ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
      DistributionConfig: this.configXml(d)
    }
  }

  private summaryXml(d: Distribution): XmlNode {
    const c = this.configXml(d)
    return {
      Id: d.spec.id,
      ARN: `arn:aws:cloudfront::${this.accountId}:distribution/${d.spec.id}`,
      Status: 'Deployed',
      LastModifiedTime: new Date(d.lastModified),
      DomainName: d.domainName,
      Aliases: c.Aliases,
      Origins: c.Origins,
      OriginGroups: c.OriginGroups,
      DefaultCacheBehavior: c.DefaultCacheBehavior,
      CacheBehaviors: c.CacheBehaviors,
      CustomErrorResponses: c.CustomErrorResponses,
      Comment: c.Comment,
      PriceClass: c.PriceClass,
      Enabled: c.Enabled,
      ViewerCertificate: c.ViewerCertificate,
      Restrictions: c.Restrictions,
      WebACLId: c.WebACLId,
      HttpVersion: c.HttpVersion,
      IsIPV6Enabled: c.IsIPV6Enabled,
      Staging: false
    }
  }

  private listDistributions(marker: string | null, max: number): Answer {
    const items = this.distributions.map(d => ({ id: d.spec.id, d }))
    const p = page(items, marker, max)
    return this.ok('DistributionList', {
      Marker: marker ?? '',
      NextMarker: p.next,
      MaxItems: max,
      IsTruncated: p.truncated,
      Quantity: p.slice.length,
      Items: p.slice.length ? { DistributionSummary: p.slice.map(i => this.summaryXml(i.d)) } : undefined
    })
  }

  private invalidationXml(inv: Invalidation): XmlNode {
    return {
      Id: inv.id,
      Status: this.status(inv),
      CreateTime: new Date(inv.created),
      InvalidationBatch: {
        Paths: { Quantity: inv.paths.length, Items: { Path: inv.paths } },
        CallerReference: inv.callerReference
      }
    }
  }

  private listInvalidations(d: Distribution, marker: string | null, max: number): Answer {
    const newestFirst = [...d.invalidations].reverse()
    const p = page(newestFirst, marker, max)
    return this.ok('InvalidationList', {
      Marker: marker ?? '',
      NextMarker: p.next,
      MaxItems: max,
      IsTruncated: p.truncated,
      Quantity: p.slice.length,
      Items: p.slice.length
        ? {
            InvalidationSummary: p.slice.map(i => ({
              Id: i.id,
              CreateTime: new Date(i.created),
              Status: this.status(i)
            }))
          }
        : undefined
    })
  }

  /** CallerReference and Paths of a CreateInvalidation body, for the request log (undefined when malformed). */
  batchParams(body: string): { CallerReference: string; Paths: string[] } | undefined {
    try {
      const batch = this.parseBatch(body)
      return { CallerReference: batch.callerReference, Paths: batch.paths }
    } catch {
      return undefined
    }
  }

  private parseBatch(body: string): { callerReference: string; paths: string[] } {
    if (!body.trim())
      throw new AwsError(
        'MissingBody',
        'This operation requires a body. Ensure that the body is present and the Content-Type header is set.'
      )
    let doc: {
      InvalidationBatch?: {
        CallerReference?: string
        Paths?: { Quantity?: string; Items?: { Path?: string[] } | '' }
      }
    }
    try {
      doc = this.parser.parse(body) as typeof doc
    } catch {
      throw new AwsError('MalformedInput', 'Could not parse the XML body.')
    }
    const batch = doc.InvalidationBatch
    if (!batch) throw new AwsError('MalformedInput', 'Unexpected root element: expected InvalidationBatch.')
    const callerReference = batch.CallerReference ?? ''
    if (!callerReference) throw new AwsError('InvalidArgument', 'CallerReference is required.')
    const items = batch.Paths?.Items
    const paths = (typeof items === 'object' ? items.Path : undefined) ?? []
    if (Number(batch.Paths?.Quantity ?? -1) !== paths.length) {
      throw new AwsError('InconsistentQuantities', "The value of Quantity and the size of Items don't match.")
    }
    if (paths.length === 0)
      throw new AwsError('InvalidArgument', 'Your request must contain at least one path.')
    const bad = paths.find(p => !p.startsWith('/'))
    if (bad !== undefined)
      throw new AwsError(
        'InvalidArgument',
        `Your request contains one or more invalid invalidation paths: ${bad}`
      )
    return { callerReference, paths }
  }

  private createInvalidation(d: Distribution, body: string): Answer {
    const batch = this.parseBatch(body)
    const existing = d.invalidations.find(i => i.callerReference === batch.callerReference)
    if (existing) {
      const same =
        existing.paths.length === batch.paths.length && existing.paths.every((p, i) => p === batch.paths[i])
      if (!same) {
        throw new AwsError(
          'InvalidationBatchAlreadyExists',
          'An invalidation batch with this CallerReference already exists with different paths.',
          409
        )
      }
      return this.created(d, existing)
    }
    if (batch.paths.length > MAX_PATHS_IN_PROGRESS) {
      throw new AwsError('BatchTooLarge', 'Invalidation batch specified is too large.', 413)
    }
    const inProgress = d.invalidations.filter(i => this.status(i) === 'InProgress')
    const wildcards = (paths: string[]) => paths.filter(p => p.includes('*')).length
    const busyWildcards = inProgress.reduce((n, i) => n + wildcards(i.paths), 0)
    const busyPaths = inProgress.reduce((n, i) => n + i.paths.length, 0)
    if (
      busyWildcards + wildcards(batch.paths) > MAX_WILDCARD_IN_PROGRESS ||
      busyPaths + batch.paths.length > MAX_PATHS_IN_PROGRESS
    ) {
      throw new AwsError(
        'TooManyInvalidationsInProgress',
        'You have exceeded the maximum number of allowable InProgress invalidation batch requests, or invalidation objects.',
        400
      )
    }
    const now = this.now()
    const inv: Invalidation = {
      id: this.invalidationId(),
      distributionId: d.spec.id,
      callerReference: batch.callerReference,
      paths: batch.paths,
      created: now,
      completesAt: now + (d.spec.invalidationMs ?? 2000)
    }
    d.invalidations.push(inv)
    return this.created(d, inv)
  }

  private created(d: Distribution, inv: Invalidation): Answer {
    return this.ok(
      'Invalidation',
      this.invalidationXml(inv),
      {
        location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.spec.id}/invalidation/${inv.id}`
      },
      201
    )
  }

  private invalidationId(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    let n = ++this.counter * 2654435761 + this.now()
    let id = 'I'
    for (let i = 0; i < 13; i++) {
      id += alphabet[n % alphabet.length]
      n = Math.floor(n / alphabet.length) + i * 7919
    }
    return id
  }
}
