import {
  DescribePlatformVersionCommand,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import type { PlatformBranchInfo, PlatformFilter, PlatformVersionInfo } from '../platform/versions.js'

/**
 * The platform look-ups (read-only, see ../platform/): platform versions and branches, in our own small types.
 * They go through the Beanstalk gateway's client, so its call budget and deadline count them like every other
 * Beanstalk request.
 */
export class PlatformLookUps {
  constructor(private readonly client: ElasticBeanstalkClient) {}

  /** ListPlatformVersions with these filters, every page (100 a page). */
  async versions(filters: PlatformFilter[]): Promise<PlatformVersionInfo[]> {
    const found: PlatformVersionInfo[] = []
    let NextToken: string | undefined
    do {
      const out = await this.client.send(
        new ListPlatformVersionsCommand({
          Filters: filters.map(f => ({ Type: f.type, Operator: f.operator, Values: [f.value] })),
          MaxRecords: 100,
          NextToken
        })
      )
      for (const v of out.PlatformSummaryList ?? [])
        found.push({
          arn: v.PlatformArn ?? '',
          version: v.PlatformVersion ?? '',
          status: v.PlatformStatus,
          branch: v.PlatformBranchName,
          branchState: v.PlatformBranchLifecycleState,
          lifecycle: v.PlatformLifecycleState,
          operatingSystem: v.OperatingSystemName
        })
      NextToken = out.NextToken
    } while (NextToken)
    return found
  }

  /** DescribePlatformVersion. */
  async version(arn: string): Promise<PlatformVersionInfo> {
    const out = await this.client.send(new DescribePlatformVersionCommand({ PlatformArn: arn }))
    const v = out.PlatformDescription
    return {
      arn: v?.PlatformArn ?? arn,
      name: v?.PlatformName,
      version: v?.PlatformVersion ?? '',
      status: v?.PlatformStatus,
      branch: v?.PlatformBranchName,
      branchState: v?.PlatformBranchLifecycleState,
      lifecycle: v?.PlatformLifecycleState,
      solutionStack: v?.SolutionStackName,
      operatingSystem: v?.OperatingSystemName
    }
  }

  /** ListPlatformBranches of one platform (e.g. Docker), every page. */
  async branches(platform: string): Promise<PlatformBranchInfo[]> {
    const found: PlatformBranchInfo[] = []
    let NextToken: string | undefined
    do {
      const out = await this.client.send(
        new ListPlatformBranchesCommand({
          Filters: [{ Attribute: 'PlatformName', Operator: '=', Values: [platform] }],
          NextToken
        })
      )
      for (const b of out.PlatformBranchSummaryList ?? [])
        found.push({
          platform: b.PlatformName ?? platform,
          branch: b.BranchName ?? '',
          state: b.LifecycleState,
          order: b.BranchOrder
        })
      NextToken = out.NextToken
    } while (NextToken)
    return found
  }
}
