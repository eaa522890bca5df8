import * as core from '@actions/core'
import {
  CreateApplicationVersionCommand,
  CreateStorageLocationCommand,
  DeleteApplicationVersionCommand,
  DescribeAccountAttributesCommand,
  DescribeApplicationsCommand,
  DescribeApplicationVersionsCommand,
  DescribeConfigurationSettingsCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribePlatformVersionCommand,
  ElasticBeanstalkClient,
  ListPlatformBranchesCommand,
  ListPlatformVersionsCommand,
  UpdateEnvironmentCommand,
  type EnvironmentDescription
} from '@aws-sdk/client-elastic-beanstalk'
import { awsClientConfig, instrument } from '../../common/aws.js'
import { CallBudget } from '../../common/budget.js'
import { formatDuration } from '../../common/format.js'
import { systemClock, type Clock, type Deadline } from '../../common/retry.js'
import type { ConfigurationRequest } from '../configuration/diff.js'
import type { OptionSettingInput } from '../configuration/inputs.js'
import type { BeanstalkEvent } from '../follow/events.js'
import type { PlatformBranchInfo, PlatformFilter, PlatformVersionInfo } from '../platform/versions.js'

/**
 * The edge to Elastic Beanstalk: every call this action makes, in our own small types. It remembers when each
 * call was made, so the poll schedule can keep within its call budget.
 */
export interface EnvironmentInfo {
  name: string
  id: string
  application: string
  status: string
  health: string
  versionLabel?: string
  solutionStack?: string
  platformArn?: string
  cname?: string
  endpointUrl?: string
  /** arn:aws:elasticbeanstalk:<region>:<account>:environment/<application>/<name> */
  arn?: string
}

export interface VersionInfo {
  label: string
  status: string
  description?: string
  bucket?: string
  key?: string
  /** Set by listVersions. */
  application?: string
  created?: Date
}

export function toEnvironmentInfo(env: EnvironmentDescription): EnvironmentInfo {
  return {
    name: env.EnvironmentName ?? '',
    id: env.EnvironmentId ?? '',
    application: env.ApplicationName ?? '',
    status: env.Status ?? 'Unknown',
    health: env.Health ?? 'Grey',
    versionLabel: env.VersionLabel || undefined,
    solutionStack: env.SolutionStackName,
    platformArn: env.PlatformArn,
    cname: env.CNAME,
    endpointUrl: env.EndpointURL,
    arn: env.EnvironmentArn
  }
}

/** Beanstalk requests in any 60 s window, all of them (SDK retries and throttled ones included). */
export const BEANSTALK_REQUESTS_PER_MINUTE = 20

export class BeanstalkGateway {
  readonly callTimes: number[] = []
  /** Calls made so far (each SDK retry counted as a call). */
  callCount = 0
  /** The hard cap: every request sent, SDK retries included, at most 20 in any 60 s window. */
  readonly budget: CallBudget
  /** The deadline of the work under way (see `within`): no request waits for a budget slot past it. */
  private deadline: Deadline | undefined
  private readonly client: ElasticBeanstalkClient

  constructor(
    readonly region: string,
    client?: ElasticBeanstalkClient,
    private readonly clock: Clock = systemClock
  ) {
    this.client = client ?? new ElasticBeanstalkClient(awsClientConfig(region, { clock }))
    // a second of margin: AWS counts a request when it arrives, a little after we sent it
    this.budget = new CallBudget(
      BEANSTALK_REQUESTS_PER_MINUTE,
      61_000,
      clock,
      waitMs => {
        // a wait a reader would notice gets a line (at least every 20 s while it lasts)
        if (waitMs >= 5_000)
          core.info(
            `Pacing Beanstalk requests (at most ${BEANSTALK_REQUESTS_PER_MINUTE} in any minute): the next one in ${formatDuration(waitMs)}.`
          )
      },
      `at most ${BEANSTALK_REQUESTS_PER_MINUTE} Beanstalk requests in any minute`
    )
    instrument(this.client, {
      service: 'elasticbeanstalk',
      beforeSend: async (operation, attempt) => {
        if (attempt > 1) this.note() // an SDK retry is a request too: the poll schedule sees it
        // Pruning old versions (keep-versions) happens outside the follow, before the version is created or after
        // the deploy, one deletion at a time: counted, but not paced (holding back 50 deletions at 20 a minute
        // would add minutes to a deploy, and the SDK retries a throttled deletion itself).
        if (operation === 'DeleteApplicationVersion') this.budget.record()
        else await this.budget.acquire(this.deadline)
      },
      unsafeToRepeat: operation =>
        operation === 'UpdateEnvironment' || operation === 'CreateApplicationVersion'
    })
  }

  /** Every page of a paginated Describe call, one request (and one noted call) per page. */
  private async allPages<T>(page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
    const found: T[] = []
    let token: string | undefined
    do {
      this.note()
      const { items, next } = await page(token)
      found.push(...items)
      token = next
    } while (token)
    return found
  }

  /**
   * Runs `work` under `deadline` (the step's timeout, or a rollback's fresh one): while it runs, a request that
   * would wait for a budget slot past the deadline fails at once (DeadlineReached) instead. The deadline before is
   * restored after, so a rollback's does not outlive it.
   */
  async within<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
    const before = this.deadline
    this.deadline = deadline
    try {
      return await work()
    } finally {
      this.deadline = before
    }
  }

  private note(): void {
    this.callCount++
    this.callTimes.push(this.clock.now())
    if (this.callTimes.length > 200) this.callTimes.splice(0, this.callTimes.length - 200)
  }

  /** Names of the applications in this region (all, or those named). */
  async applicationNames(names?: string[]): Promise<string[]> {
    this.note()
    const out = await this.client.send(new DescribeApplicationsCommand({ ApplicationNames: names }))
    return (out.Applications ?? []).map(app => app.ApplicationName ?? '').filter(name => name !== '')
  }

  /** Environments, including those terminated within the last hour (Beanstalk's default). */
  async environments(filter: {
    application?: string
    names?: string[]
    ids?: string[]
    includeDeleted?: boolean
  }): Promise<EnvironmentInfo[]> {
    return await this.allPages(async NextToken => {
      const out = await this.client.send(
        new DescribeEnvironmentsCommand({
          ApplicationName: filter.application,
          EnvironmentNames: filter.names,
          EnvironmentIds: filter.ids,
          IncludeDeleted: filter.includeDeleted ?? false,
          NextToken
        })
      )
      return { items: (out.Environments ?? []).map(toEnvironmentInfo), next: out.NextToken }
    })
  }

  async version(application: string, label: string): Promise<VersionInfo | undefined> {
    this.note()
    const out = await this.client.send(
      new DescribeApplicationVersionsCommand({ ApplicationName: application, VersionLabels: [label] })
    )
    const version = out.ApplicationVersions?.find(v => v.VersionLabel === label)
    if (!version) return undefined
    return {
      label,
      status: version.Status ?? 'Unprocessed',
      description: version.Description,
      bucket: version.SourceBundle?.S3Bucket,
      key: version.SourceBundle?.S3Key
    }
  }

  async events(filter: {
    application: string
    environmentId?: string
    versionLabel?: string
    startTime: Date
  }): Promise<BeanstalkEvent[]> {
    this.note()
    const out = await this.client.send(
      new DescribeEventsCommand({
        ApplicationName: filter.application,
        EnvironmentId: filter.environmentId,
        VersionLabel: filter.versionLabel,
        StartTime: filter.startTime,
        MaxRecords: 100
      })
    )
    return (out.Events ?? []).map(event => ({
      date: event.EventDate ?? new Date(0),
      message: event.Message ?? '',
      severity: event.Severity ?? 'INFO',
      requestId: event.RequestId,
      versionLabel: event.VersionLabel,
      environmentName: event.EnvironmentName
    }))
  }

  /** Beanstalk's own S3 bucket for this region and account (created on first use). */
  async storageLocation(): Promise<string> {
    this.note()
    const out = await this.client.send(new CreateStorageLocationCommand({}))
    if (!out.S3Bucket) throw new Error('CreateStorageLocation answered without a bucket name.')
    return out.S3Bucket
  }

  async createVersion(input: {
    application: string
    label: string
    description: string
    bucket: string
    key: string
  }): Promise<VersionInfo> {
    this.note()
    const out = await this.client.send(
      new CreateApplicationVersionCommand({
        ApplicationName: input.application,
        VersionLabel: input.label,
        Description: input.description,
        SourceBundle: { S3Bucket: input.bucket, S3Key: input.key },
        Process: true
      })
    )
    const version = out.ApplicationVersion
    return {
      label: input.label,
      status: version?.Status ?? 'Processing',
      bucket: version?.SourceBundle?.S3Bucket ?? input.bucket,
      key: version?.SourceBundle?.S3Key ?? input.key
    }
  }

  /**
   * UpdateEnvironment: a version (label), configuration changes, or both. OptionSettings and OptionsToRemove are
   * left out entirely when there is no change (so an unchanged configuration sends none).
   */
  async updateEnvironment(
    environmentId: string,
    label: string | undefined,
    change?: ConfigurationRequest,
    /** platform: the platform version to move to (PlatformArn), when the update changes it */
    platformArn?: string
  ): Promise<{ info: EnvironmentInfo; dateUpdated?: Date }> {
    this.note()
    const settings = change?.optionSettings ?? []
    const removals = change?.optionsToRemove ?? []
    const out = await this.client.send(
      new UpdateEnvironmentCommand({
        EnvironmentId: environmentId,
        VersionLabel: label,
        PlatformArn: platformArn,
        OptionSettings:
          settings.length > 0
            ? settings.map(s => ({
                Namespace: s.namespace,
                OptionName: s.optionName,
                Value: s.value,
                ResourceName: s.resourceName
              }))
            : undefined,
        OptionsToRemove:
          removals.length > 0
            ? removals.map(r => ({
                Namespace: r.namespace,
                OptionName: r.optionName,
                ResourceName: r.resourceName
              }))
            : undefined
      })
    )
    return { info: toEnvironmentInfo(out), dateUpdated: out.DateUpdated }
  }

  /**
   * The environment's applied option settings (DescribeConfigurationSettings). While an update is pending,
   * Beanstalk answers two descriptions (DeploymentStatus deployed and pending): the deployed one is taken.
   */
  async configurationSettings(application: string, environment: string): Promise<OptionSettingInput[]> {
    this.note()
    const out = await this.client.send(
      new DescribeConfigurationSettingsCommand({ ApplicationName: application, EnvironmentName: environment })
    )
    const descriptions = out.ConfigurationSettings ?? []
    const deployed =
      descriptions.find(d => d.DeploymentStatus?.toLowerCase() === 'deployed') ?? descriptions[0]
    return (deployed?.OptionSettings ?? [])
      .filter(o => o.Namespace && o.OptionName)
      .map(o => ({
        namespace: o.Namespace ?? '',
        optionName: o.OptionName ?? '',
        value: o.Value ?? '',
        resourceName: o.ResourceName || undefined
      }))
  }

  // ---- versions over time (see ../versions/) --------------------------------------------------------------

  /** ApplicationVersionQuota.Maximum of the account in this region (DescribeAccountAttributes). */
  async versionQuota(): Promise<number | undefined> {
    this.note()
    const out = await this.client.send(new DescribeAccountAttributesCommand({}))
    return out.ResourceQuotas?.ApplicationVersionQuota?.Maximum
  }

  /** Every version in this region (of one application, or of all: the quota counts all), pages of 1000. */
  async listVersions(application?: string): Promise<VersionInfo[]> {
    return await this.allPages(async NextToken => {
      const out = await this.client.send(
        new DescribeApplicationVersionsCommand({ ApplicationName: application, MaxRecords: 1000, NextToken })
      )
      const items = (out.ApplicationVersions ?? []).map(v => ({
        label: v.VersionLabel ?? '',
        application: v.ApplicationName,
        status: v.Status ?? 'Unprocessed',
        description: v.Description,
        bucket: v.SourceBundle?.S3Bucket,
        key: v.SourceBundle?.S3Key,
        created: v.DateCreated
      }))
      return { items, next: out.NextToken }
    })
  }

  async deleteVersion(application: string, label: string, deleteSourceBundle: boolean): Promise<void> {
    this.note()
    await this.client.send(
      new DeleteApplicationVersionCommand({
        ApplicationName: application,
        VersionLabel: label,
        DeleteSourceBundle: deleteSourceBundle
      })
    )
  }

  // ---- platform versions and branches (see ../platform/) ---------------------------------------------------

  /** ListPlatformVersions with these filters, every page (100 a page). */
  async platformVersions(filters: PlatformFilter[]): Promise<PlatformVersionInfo[]> {
    return await this.allPages(async NextToken => {
      const out = await this.client.send(
        new ListPlatformVersionsCommand({
          Filters: filters.map(f => ({ Type: f.type, Operator: f.operator, Values: [f.value] })),
          MaxRecords: 100,
          NextToken
        })
      )
      const items = (out.PlatformSummaryList ?? []).map(v => ({
        arn: v.PlatformArn ?? '',
        version: v.PlatformVersion ?? '',
        status: v.PlatformStatus,
        branch: v.PlatformBranchName,
        branchState: v.PlatformBranchLifecycleState,
        lifecycle: v.PlatformLifecycleState,
        operatingSystem: v.OperatingSystemName
      }))
      return { items, next: out.NextToken }
    })
  }

  /** DescribePlatformVersion. */
  async platformVersion(arn: string): Promise<PlatformVersionInfo> {
    this.note()
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
  async platformBranches(platform: string): Promise<PlatformBranchInfo[]> {
    return await this.allPages(async NextToken => {
      const out = await this.client.send(
        new ListPlatformBranchesCommand({
          Filters: [{ Attribute: 'PlatformName', Operator: '=', Values: [platform] }],
          NextToken
        })
      )
      const items = (out.PlatformBranchSummaryList ?? []).map(b => ({
        platform: b.PlatformName ?? platform,
        branch: b.BranchName ?? '',
        state: b.LifecycleState,
        order: b.BranchOrder
      }))
      return { items, next: out.NextToken }
    })
  }
}
