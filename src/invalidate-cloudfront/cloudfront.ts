import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  paginateListDistributions,
  type Invalidation
} from '@aws-sdk/client-cloudfront'
import { awsClientConfig, instrument } from '../common/aws.js'
import type { Clock } from '../common/retry.js'
import { UserError, awsErrorInfo, isAwsError } from '../common/errors.js'
import { debug } from '../common/log.js'

/**
 * The edge to CloudFront: the three calls this action makes, in our own small types. CloudFront's API is
 * global and signed for us-east-1, whatever AWS_REGION says (the deploy itself runs in eu-central-1).
 * An AccessDenied is turned into a message naming the permission the job's role lacks.
 */

/** CloudFront's API region, for every account. */
export const CLOUDFRONT_REGION = 'us-east-1'

export interface DistributionSummary {
  id: string
  /** The distribution's own domain, e.g. d111111abcdef8.cloudfront.net. */
  domainName: string
  /** Alternate domain names (CNAMEs), as CloudFront stores them (lower case). */
  aliases: string[]
  comment?: string
  enabled?: boolean
}

export interface InvalidationInfo {
  id: string
  /** `InProgress` or `Completed`. */
  status: string
  createTime?: Date
  callerReference?: string
}

export type CloudFrontPermission =
  'cloudfront:CreateInvalidation' | 'cloudfront:GetInvalidation' | 'cloudfront:ListDistributions'

/** The client, its SDK retry waits on `clock`; CreateInvalidation is safe to repeat (its CallerReference). */
export function createCloudFrontClient(clock?: Clock): CloudFrontClient {
  return instrument(new CloudFrontClient(awsClientConfig(CLOUDFRONT_REGION, { clock })), {
    service: 'cloudfront'
  })
}

/** A console link for one invalidation, or for a distribution's invalidations. */
export function invalidationConsoleUrl(distributionId: string, invalidationId?: string): string {
  const base = `https://${CLOUDFRONT_REGION}.console.aws.amazon.com/cloudfront/v4/home?region=${CLOUDFRONT_REGION}#/distributions/${encodeURIComponent(distributionId)}`
  return invalidationId
    ? `${base}/invalidations/details/${encodeURIComponent(invalidationId)}`
    : `${base}/invalidations`
}

/** Rethrows AccessDenied as a UserError naming the missing permission; any other error unchanged. */
export function explainAccessDenied(
  error: unknown,
  permission: CloudFrontPermission,
  resource: string
): never {
  if (isAwsError(error, 'AccessDenied', 'AccessDeniedException')) {
    const info = awsErrorInfo(error)
    throw new UserError(
      `${info?.code}: ${info?.message} The role this job assumed must allow ${permission} on ${resource} (see docs/invalidate-cloudfront.md for the policy).`,
      { title: `Missing permission ${permission}`, cause: error }
    )
  }
  throw error
}

function toInvalidationInfo(invalidation: Invalidation | undefined, operation: string): InvalidationInfo {
  if (!invalidation?.Id || !invalidation.Status) {
    throw new Error(`CloudFront's ${operation} answer has no invalidation id or status.`)
  }
  return {
    id: invalidation.Id,
    status: invalidation.Status,
    createTime: invalidation.CreateTime,
    callerReference: invalidation.InvalidationBatch?.CallerReference
  }
}

const distributionArn = (id: string) => `arn:aws:cloudfront::<account>:distribution/${id}`

export class CloudFrontGateway {
  constructor(private readonly client: CloudFrontClient = createCloudFrontClient()) {}

  /** Every distribution of the account, all pages (the page size is CloudFront's default). */
  async listDistributions(): Promise<DistributionSummary[]> {
    const found: DistributionSummary[] = []
    try {
      let page = 0
      for await (const output of paginateListDistributions({ client: this.client }, {})) {
        page++
        const items = output.DistributionList?.Items ?? []
        debug(`ListDistributions page ${page}: ${items.length} distributions`)
        for (const item of items) {
          if (!item.Id) continue
          found.push({
            id: item.Id,
            domainName: item.DomainName ?? '',
            aliases: (item.Aliases?.Items ?? []).map(alias => alias.toLowerCase()),
            comment: item.Comment || undefined,
            enabled: item.Enabled
          })
        }
      }
    } catch (error) {
      explainAccessDenied(
        error,
        'cloudfront:ListDistributions',
        '"*" (ListDistributions has no resource scope)'
      )
    }
    return found
  }

  async createInvalidation(
    distributionId: string,
    paths: readonly string[],
    callerReference: string
  ): Promise<InvalidationInfo> {
    try {
      const output = await this.client.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: callerReference,
            Paths: { Quantity: paths.length, Items: [...paths] }
          }
        })
      )
      return toInvalidationInfo(output.Invalidation, 'CreateInvalidation')
    } catch (error) {
      explainAccessDenied(error, 'cloudfront:CreateInvalidation', distributionArn(distributionId))
    }
  }

  async getInvalidation(distributionId: string, invalidationId: string): Promise<InvalidationInfo> {
    try {
      const output = await this.client.send(
        new GetInvalidationCommand({ DistributionId: distributionId, Id: invalidationId })
      )
      return toInvalidationInfo(output.Invalidation, 'GetInvalidation')
    } catch (error) {
      explainAccessDenied(error, 'cloudfront:GetInvalidation', distributionArn(distributionId))
    }
  }
}
