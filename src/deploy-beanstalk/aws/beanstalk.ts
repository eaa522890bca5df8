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
  ElasticBeanstalkClient,
  UpdateEnvironmentCommand
} from '@aws-sdk/client-elastic-beanstalk'
import { awsClientConfig } from '../../common/aws.js'
import { systemClock, type CallBudget, type Clock, type Deadline } from '../../common/retry.js'
import type { OptionSettingInput } from '../configuration/inputs.js'
import type { BeanstalkEvent } from '../update/events.js'
import { paceBeanstalkRequests } from '../../common/beanstalk-pace.js'
import { EnvironmentLaunches, UNSAFE_TO_REPEAT } from './environments.js'
import { PlatformLookUps } from './platforms.js'
import { EnvironmentInfoCalls } from './diagnostics.js'
import { allPages, toEnvironmentInfo, type EnvironmentInfo } from './types.js'
import type { UpdateRequest, VersionInfo } from './types.js'

export { toEnvironmentInfo, type EnvironmentInfo, type UpdateRequest, type VersionInfo } from './types.js'

/**
 * The edge to Elastic Beanstalk: every call this action makes, in our own small types, and its one pace: the call
 * budget (common/beanstalk-pace.ts: every request sent, SDK retries included), which the poll schedule (update/poll.ts) reads too.
 */
export class BeanstalkGateway {
  /** The hard cap: every request sent, SDK retries included, at most 20 in any 60 s window. */
  readonly budget: CallBudget
  /** The deadline of the work under way (see `within`): no request waits for a budget slot past it. */
  private deadline: Deadline | undefined
  private readonly client: ElasticBeanstalkClient
  /** The platform look-ups (platforms.ts), through the same client: budgeted like every request. */
  readonly platforms: PlatformLookUps
  /** New environments (environments.ts: a blue/green twin), through the same client. */
  readonly launches: EnvironmentLaunches
  /** Tail logs and AbortEnvironmentUpdate (diagnostics.ts), through the same client. */
  readonly info: EnvironmentInfoCalls

  constructor(
    readonly region: string,
    client?: ElasticBeanstalkClient,
    clock: Clock = systemClock
  ) {
    this.client = client ?? new ElasticBeanstalkClient(awsClientConfig(region, { clock }))
    this.platforms = new PlatformLookUps(this.client)
    this.launches = new EnvironmentLaunches(this.client)
    this.info = new EnvironmentInfoCalls(this.client)
    this.budget = paceBeanstalkRequests(this.client, clock, () => this.deadline, {
      unsafeToRepeat: operation => UNSAFE_TO_REPEAT.has(operation),
      // Pruning old versions (keep-versions) happens outside the follow, one deletion at a time: counted, but
      // not paced (holding back 50 deletions at 20 a minute would add minutes to a deploy, and the SDK retries a
      // throttled deletion itself).
      unpaced: new Set(['DeleteApplicationVersion'])
    })
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

  /** Names of the applications in this region (all, or those named). */
  async applicationNames(names?: string[]): Promise<string[]> {
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
    return await allPages(async NextToken => {
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
   * UpdateEnvironment with what `send` holds: a version, configuration changes, a platform version, or some of them. OptionSettings and
   * OptionsToRemove are left out entirely when there is no change (so an unchanged configuration sends none).
   */
  async updateEnvironment(
    environmentId: string,
    send: UpdateRequest
  ): Promise<{ info: EnvironmentInfo; dateUpdated?: Date; requestId?: string }> {
    const settings = send.configuration?.optionSettings ?? []
    const removals = send.configuration?.optionsToRemove ?? []
    const out = await this.client.send(
      new UpdateEnvironmentCommand({
        EnvironmentId: environmentId,
        VersionLabel: send.label,
        PlatformArn: send.platformArn,
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
    return { info: toEnvironmentInfo(out), dateUpdated: out.DateUpdated, requestId: out.$metadata?.requestId }
  }

  /**
   * The environment's applied option settings (DescribeConfigurationSettings). While an update is pending,
   * Beanstalk answers two descriptions (DeploymentStatus deployed and pending): the deployed one is taken.
   */
  async configurationSettings(application: string, environment: string): Promise<OptionSettingInput[]> {
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
    const out = await this.client.send(new DescribeAccountAttributesCommand({}))
    return out.ResourceQuotas?.ApplicationVersionQuota?.Maximum
  }

  /** Every version in this region (of one application, or of all: the quota counts all), pages of 1000. */
  async listVersions(application?: string): Promise<VersionInfo[]> {
    return await allPages(async NextToken => {
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
    await this.client.send(
      new DeleteApplicationVersionCommand({
        ApplicationName: application,
        VersionLabel: label,
        DeleteSourceBundle: deleteSourceBundle
      })
    )
  }
}
