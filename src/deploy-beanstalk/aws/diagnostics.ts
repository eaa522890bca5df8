import { AbortEnvironmentUpdateCommand } from '@aws-sdk/client-elastic-beanstalk'
import { TailCalls } from '../../common/logs/calls.js'

/**
 * The Beanstalk calls of diagnostics and cancellation, through the gateway's client (so the call budget and the
 * instrumentation count them like every request): the instances' tail logs (common/logs/calls.ts) and
 * AbortEnvironmentUpdate.
 */
export class EnvironmentInfoCalls extends TailCalls {
  /** Aborts the update in progress on the environment; answers the request id of the abort. */
  async abortUpdate(environmentId: string): Promise<string | undefined> {
    const out = await this.client.send(new AbortEnvironmentUpdateCommand({ EnvironmentId: environmentId }))
    return out.$metadata?.requestId
  }
}
