import type { Clock } from '../../common/retry.js'
import { BeanstalkGateway } from './beanstalk.js'

/** One Beanstalk gateway per region (each with its call budget), the SDK client made on first use. */
export function beanstalkGateways(clock: Clock): (region: string) => BeanstalkGateway {
  const gateways = new Map<string, BeanstalkGateway>()
  return (region: string) => {
    const gateway = gateways.get(region) ?? new BeanstalkGateway(region, undefined, clock)
    gateways.set(region, gateway)
    return gateway
  }
}
