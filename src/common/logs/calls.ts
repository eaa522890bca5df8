import {
  DescribeConfigurationSettingsCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import { ENVIRONMENT_NAMESPACE } from '../aws.js'

/**
 * The Beanstalk calls of the instances' tail logs, through an action's own gateway client (so its call budget and
 * instrumentation count them like every request): RequestEnvironmentInfo `tail`, RetrieveEnvironmentInfo, and the
 * environment's property values (DescribeConfigurationSettings), which are masked before any log line is read.
 */

/** One instance's answer to a tail request: where its logs are (a pre-signed S3 URL, a secret) and when. */
export interface TailAnswer {
  instanceId: string
  /** The pre-signed URL: anyone holding it can read the logs for 15 minutes. Never printed. */
  url: string
  sampled: Date
}

export class TailCalls {
  constructor(protected readonly client: ElasticBeanstalkClient) {}

  /** Asks every instance of the environment for its tail logs (the answers come later, see `retrieveTail`). */
  async requestTail(environmentId: string): Promise<void> {
    await this.client.send(
      new RequestEnvironmentInfoCommand({ EnvironmentId: environmentId, InfoType: 'tail' })
    )
  }

  /** The tail answers Beanstalk holds for the environment (older ones included: filter by `sampled`). */
  async retrieveTail(environmentId: string): Promise<TailAnswer[]> {
    const out = await this.client.send(
      new RetrieveEnvironmentInfoCommand({ EnvironmentId: environmentId, InfoType: 'tail' })
    )
    return (out.EnvironmentInfo ?? [])
      .filter(info => info.Message && info.Ec2InstanceId)
      .map(info => ({
        instanceId: info.Ec2InstanceId ?? '',
        url: info.Message ?? '',
        sampled: info.SampleTimestamp ?? new Date(0)
      }))
  }

  /**
   * The values of the environment's properties, deployed and pending alike (values set in the console or by an
   * earlier deploy are secrets too): the logs' masking takes them.
   */
  async propertyValues(application: string, environment: string): Promise<string[]> {
    const out = await this.client.send(
      new DescribeConfigurationSettingsCommand({ ApplicationName: application, EnvironmentName: environment })
    )
    return (out.ConfigurationSettings ?? []).flatMap(description =>
      (description.OptionSettings ?? [])
        .filter(o => o.Namespace === ENVIRONMENT_NAMESPACE && o.Value)
        .map(o => o.Value ?? '')
    )
  }
}
