import {
  AbortEnvironmentUpdateCommand,
  RequestEnvironmentInfoCommand,
  RetrieveEnvironmentInfoCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'

/**
 * The Beanstalk calls of diagnostics and cancellation, through the gateway's client (so the call budget and the
 * instrumentation count them like every request): the instances' tail logs (RequestEnvironmentInfo `tail`, then
 * RetrieveEnvironmentInfo) and AbortEnvironmentUpdate.
 */

/** One instance's answer to a tail request: where its logs are (a pre-signed S3 URL, a secret) and when. */
export interface TailAnswer {
  instanceId: string
  /** The pre-signed URL: anyone holding it can read the logs for 15 minutes. Never printed. */
  url: string
  sampled: Date
}

export class EnvironmentInfoCalls {
  constructor(private readonly client: ElasticBeanstalkClient) {}

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

  /** Aborts the update in progress on the environment; answers the request id of the abort. */
  async abortUpdate(environmentId: string): Promise<string | undefined> {
    const out = await this.client.send(new AbortEnvironmentUpdateCommand({ EnvironmentId: environmentId }))
    return out.$metadata?.requestId
  }
}
