import type { Clock } from '../../common/retry.js'
import type { GatewayFor } from '../lookup.js'
import type { BeanstalkGateway } from './beanstalk.js'
import type { StorageFor } from './s3.js'

/**
 * The gateways of a run, each SDK client loaded on first use (a smaller cold start): nothing here imports a client
 * module before it is needed.
 */

/** One Beanstalk gateway per region (each with its call budget), the SDK client loaded once the inputs are valid. */
export async function beanstalkGateways(clock: Clock): Promise<GatewayFor> {
  const { BeanstalkGateway } = await import('./beanstalk.js')
  const gateways = new Map<string, BeanstalkGateway>()
  return (region: string) => {
    const gateway = gateways.get(region) ?? new BeanstalkGateway(region, undefined, clock)
    gateways.set(region, gateway)
    return gateway
  }
}

/**
 * S3 for a region: the client and the multipart upload are loaded only when something is uploaded or compared, so a
 * redeploy, a dry run or a failed look-up never load them.
 */
export function storageGateways(clock: Clock): StorageFor {
  return async (region: string) => new (await import('./s3.js')).StorageGateway(region, { clock })
}
