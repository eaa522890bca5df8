/**
 * CloudFront fidelity (REST-XML, 2020-05-31): every operation through the real SDK v3 client.
 */
import { describe, expect, it } from '@jest/globals'
import {
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetInvalidationCommand,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  type CloudFrontClient
} from '@aws-sdk/client-cloudfront'
import { Clock, cloudFrontClient, failure, sandboxesClosedAfterEach } from './clients.js'

const sandbox = sandboxesClosedAfterEach()

const CRM = 'E2CRM000000001'

function invalidate(cf: CloudFrontClient, id: string, callerReference: string, paths: string[]) {
  return cf.send(
    new CreateInvalidationCommand({
      DistributionId: id,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } }
    })
  )
}

describe('ListDistributions', () => {
  it('summaries with aliases; Marker/MaxItems paging with NextMarker = the last id of the page', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const all = await cf.send(new ListDistributionsCommand({}))
    const list = all.DistributionList
    expect(list).toMatchObject({ IsTruncated: false, Quantity: 4, MaxItems: 100 })
    expect(list?.Items?.[0]).toMatchObject({
      Id: CRM,
      ARN: `arn:aws:cloudfront::123456789012:distribution/${CRM}`,
      Status: 'Deployed',
      Enabled: true,
      Aliases: { Quantity: 2, Items: ['brilliancrm.com', 'www.brilliancrm.com'] },
      DefaultCacheBehavior: { CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' }
    })
    expect(list?.Items?.[0].DomainName).toMatch(/\.cloudfront\.net$/)

    const first = await cf.send(new ListDistributionsCommand({ MaxItems: 3 }))
    expect(first.DistributionList).toMatchObject({
      IsTruncated: true,
      Quantity: 3,
      NextMarker: 'E2QUIZ00000001'
    })
    const second = await cf.send(
      new ListDistributionsCommand({ MaxItems: 3, Marker: first.DistributionList?.NextMarker })
    )
    expect(second.DistributionList).toMatchObject({ IsTruncated: false, Quantity: 1 })
    expect(second.DistributionList?.Items?.map(d => d.Id)).toEqual(['E2IDEAS0000001'])
    expect(second.DistributionList?.NextMarker).toBeUndefined()
  })

  it('an account without distributions: Quantity 0, no Items', async () => {
    const box = await sandbox({ name: 'empty' })
    const out = await cloudFrontClient(box).send(new ListDistributionsCommand({}))
    expect(out.DistributionList).toMatchObject({ Quantity: 0, IsTruncated: false })
    expect(out.DistributionList?.Items ?? []).toEqual([])
  })
})

describe('GetDistribution / GetDistributionConfig', () => {
  it('the distribution with its config and ETag; unknown id → NoSuchDistribution (404)', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const out = await cf.send(new GetDistributionCommand({ Id: CRM }))
    expect(out.ETag).toBeTruthy()
    expect(out.Distribution).toMatchObject({
      Id: CRM,
      Status: 'Deployed',
      InProgressInvalidationBatches: 0,
      DistributionConfig: {
        Aliases: { Quantity: 2, Items: ['brilliancrm.com', 'www.brilliancrm.com'] },
        Enabled: true,
        Comment: 'BrillianCRM'
      }
    })
    const config = await cf.send(new GetDistributionConfigCommand({ Id: CRM }))
    expect(config.DistributionConfig?.Origins?.Items?.[0].DomainName).toBe(
      'BrillianCRM-env.eu-central-1.elasticbeanstalk.com'
    )
    const missing = await failure(cf.send(new GetDistributionCommand({ Id: 'E000NOPE' })))
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['NoSuchDistribution', 404])
  })
})

describe('CreateInvalidation', () => {
  it('201 with Location; InProgress → Completed after invalidationMs (GetInvalidation)', async () => {
    const clock = new Clock()
    const box = await sandbox(
      { name: 'cf', distributions: [{ id: 'EDIST1', aliases: ['a.example'], invalidationMs: 5000 }] },
      clock
    )
    const cf = cloudFrontClient(box)
    const out = await invalidate(cf, 'EDIST1', 'run-1', ['/*', '/index.html'])
    expect(out.$metadata.httpStatusCode).toBe(201)
    const id = out.Invalidation?.Id ?? ''
    expect(id).toMatch(/^I[A-Z0-9]{13}$/)
    expect(out.Location).toBe(
      `https://cloudfront.amazonaws.com/2020-05-31/distribution/EDIST1/invalidation/${id}`
    )
    expect(out.Invalidation).toMatchObject({
      Status: 'InProgress',
      InvalidationBatch: { CallerReference: 'run-1', Paths: { Quantity: 2, Items: ['/*', '/index.html'] } }
    })
    expect(out.Invalidation?.CreateTime).toBeInstanceOf(Date)
    expect(
      (await cf.send(new GetDistributionCommand({ Id: 'EDIST1' }))).Distribution
        ?.InProgressInvalidationBatches
    ).toBe(1)
    clock.advance(4999)
    const during = await cf.send(new GetInvalidationCommand({ DistributionId: 'EDIST1', Id: id }))
    expect(during.Invalidation?.Status).toBe('InProgress')
    clock.advance(1)
    const after = await cf.send(new GetInvalidationCommand({ DistributionId: 'EDIST1', Id: id }))
    expect(after.Invalidation?.Status).toBe('Completed')
    const missing = await failure(
      cf.send(new GetInvalidationCommand({ DistributionId: 'EDIST1', Id: 'INOPE' }))
    )
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['NoSuchInvalidation', 404])
  })

  it('same CallerReference and paths → the same invalidation; other paths → InvalidationBatchAlreadyExists (409)', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const first = await invalidate(cf, CRM, 'run-7-attempt-1', ['/*'])
    const again = await invalidate(cf, CRM, 'run-7-attempt-1', ['/*'])
    expect(again.$metadata.httpStatusCode).toBe(201)
    expect(again.Invalidation?.Id).toBe(first.Invalidation?.Id)
    const other = await failure(invalidate(cf, CRM, 'run-7-attempt-1', ['/other']))
    expect([other.name, other.$metadata?.httpStatusCode]).toEqual(['InvalidationBatchAlreadyExists', 409])
    const list = await cf.send(new ListInvalidationsCommand({ DistributionId: CRM }))
    expect(list.InvalidationList?.Quantity).toBe(1)
  })

  it('TooManyInvalidationsInProgress past 15 wildcard paths in progress, until some complete', async () => {
    const clock = new Clock()
    const box = await sandbox('default', clock)
    const cf = cloudFrontClient(box)
    for (let i = 0; i < 15; i++) await invalidate(cf, CRM, `w-${i}`, [`/assets${i}/*`])
    const busy = await failure(invalidate(cf, CRM, 'w-15', ['/more/*']))
    expect([busy.name, busy.$metadata?.httpStatusCode]).toEqual(['TooManyInvalidationsInProgress', 400])
    // plain paths still fit (the wildcard limit is separate), and another distribution is unaffected
    await invalidate(cf, CRM, 'plain', ['/index.html'])
    await invalidate(cf, 'E2ICM000000001', 'w-0', ['/*'])
    clock.advance(2000)
    const later = await invalidate(cf, CRM, 'w-15', ['/more/*'])
    expect(later.Invalidation?.Status).toBe('InProgress')
  })

  it('TooManyInvalidationsInProgress past 3000 paths in progress; BatchTooLarge past 3000 in one batch', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const paths = (n: number, p: string) => Array.from({ length: n }, (_, i) => `/${p}/${i}.html`)
    await invalidate(cf, CRM, 'big-1', paths(2000, 'a'))
    const busy = await failure(invalidate(cf, CRM, 'big-2', paths(1001, 'b')))
    expect(busy.name).toBe('TooManyInvalidationsInProgress')
    const tooLarge = await failure(invalidate(cf, 'E2ICM000000001', 'huge', paths(3001, 'c')))
    expect([tooLarge.name, tooLarge.$metadata?.httpStatusCode]).toEqual(['BatchTooLarge', 413])
  })

  it('bad requests: unknown distribution, path without a leading slash', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const unknown = await failure(invalidate(cf, 'ENOPE', 'x', ['/*']))
    expect([unknown.name, unknown.$metadata?.httpStatusCode]).toEqual(['NoSuchDistribution', 404])
    const badPath = await failure(invalidate(cf, CRM, 'x', ['index.html']))
    expect(badPath.name).toBe('InvalidArgument')
    expect(box.mutatingCalls()).toEqual([])
  })
})

describe('ListInvalidations', () => {
  it('newest first, paged with Marker/MaxItems', async () => {
    const box = await sandbox()
    const cf = cloudFrontClient(box)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await invalidate(cf, CRM, `r${i}`, ['/x'])).Invalidation?.Id ?? '')
    const first = await cf.send(new ListInvalidationsCommand({ DistributionId: CRM, MaxItems: 2 }))
    expect(first.InvalidationList).toMatchObject({ IsTruncated: true, Quantity: 2, NextMarker: ids[1] })
    expect(first.InvalidationList?.Items?.map(i => i.Id)).toEqual([ids[2], ids[1]])
    expect(first.InvalidationList?.Items?.[0].Status).toBe('InProgress')
    const second = await cf.send(
      new ListInvalidationsCommand({
        DistributionId: CRM,
        MaxItems: 2,
        Marker: first.InvalidationList?.NextMarker
      })
    )
    expect(second.InvalidationList?.Items?.map(i => i.Id)).toEqual([ids[0]])
    expect(second.InvalidationList?.IsTruncated).toBe(false)
    expect(box.calls('CreateInvalidation')).toHaveLength(3)
    expect(box.calls('CreateInvalidation')[0]).toMatchObject({
      service: 'cloudfront',
      region: 'us-east-1',
      params: { Id: CRM, CallerReference: 'r0', Paths: ['/x'] }
    })
  })
})
