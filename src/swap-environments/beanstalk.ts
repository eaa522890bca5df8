import {
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  ElasticBeanstalkClient,
  SwapEnvironmentCNAMEsCommand,
  TerminateEnvironmentCommand,
  type EnvironmentDescription
} from '@aws-sdk/client-elastic-beanstalk'
import { awsClientConfig } from '../common/aws.js'
import { paceBeanstalkRequests } from '../common/beanstalk-pace.js'
import type { BeanstalkEvent } from '../common/events.js'
import { TailCalls } from '../common/logs/calls.js'
import type { PairEnvironment } from '../common/pair.js'
import { CallBudget, systemClock, type Clock, type Deadline } from '../common/retry.js'

/** An environment of the pair as DescribeEnvironments answers it (every field the decisions read). */
export interface Environment extends PairEnvironment {
  id: string
  status: string
  health: string
  cname?: string
}

export function toEnvironment(env: EnvironmentDescription): Environment {
  return {
    name: env.EnvironmentName ?? '',
    id: env.EnvironmentId ?? '',
    status: env.Status ?? 'Unknown',
    health: env.Health ?? 'Grey',
    versionLabel: env.VersionLabel || undefined,
    cname: env.CNAME
  }
}

/**
 * The edge to Elastic Beanstalk: the four calls this action makes (and the tail logs' after a failure), in our own small types, under the same hard cap
 * as deploy-beanstalk (every request sent, SDK retries included, at most 20 in any 60 s window). The two mutating
 * calls are never repeated blindly: a lost reply fails with an OutcomeUnknownError, and the caller looks first.
 */
export class SwapGateway {
  readonly budget: CallBudget
  private deadline: Deadline | undefined
  private readonly client: ElasticBeanstalkClient
  /** The instances' tail logs after a failed swap (common/logs/), through the same client: budgeted likewise. */
  readonly info: TailCalls

  constructor(
    readonly region: string,
    client?: ElasticBeanstalkClient,
    clock: Clock = systemClock
  ) {
    this.client = client ?? new ElasticBeanstalkClient(awsClientConfig(region, { clock }))
    this.info = new TailCalls(this.client)
    this.budget = paceBeanstalkRequests(this.client, clock, () => this.deadline, {
      unsafeToRepeat: operation =>
        operation === 'SwapEnvironmentCNAMEs' || operation === 'TerminateEnvironment'
    })
  }

  /** Runs `work` with `deadline` as the limit of every wait for a request slot (the one before restored after). */
  async within<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
    const before = this.deadline
    this.deadline = deadline
    try {
      return await work()
    } finally {
      this.deadline = before
    }
  }

  /** The application's environments of these names (terminated ones left out, as Beanstalk does by default). */
  async environments(application: string, names: readonly string[]): Promise<Environment[]> {
    const found: Environment[] = []
    let token: string | undefined
    do {
      const out = await this.client.send(
        new DescribeEnvironmentsCommand({
          ApplicationName: application,
          EnvironmentNames: [...names],
          IncludeDeleted: false,
          NextToken: token
        })
      )
      found.push(...(out.Environments ?? []).map(toEnvironment))
      token = out.NextToken
    } while (token)
    return found
  }

  /** The application's events since `startTime` (inclusive), newest first, at most 100. */
  async events(application: string, startTime: Date): Promise<BeanstalkEvent[]> {
    const out = await this.client.send(
      new DescribeEventsCommand({ ApplicationName: application, StartTime: startTime, MaxRecords: 100 })
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

  /** SwapEnvironmentCNAMEs by ids: `idle` gets the live CNAME, `live` the idle one's. */
  async swap(idle: Environment, live: Environment): Promise<void> {
    await this.client.send(
      new SwapEnvironmentCNAMEsCommand({ SourceEnvironmentId: idle.id, DestinationEnvironmentId: live.id })
    )
  }

  async terminate(env: Environment): Promise<string> {
    const out = await this.client.send(new TerminateEnvironmentCommand({ EnvironmentId: env.id }))
    return out.Status ?? 'Terminating'
  }
}
