import * as core from '@actions/core'
import { UserError } from '../../common/errors.js'
import { phase } from '../../common/log.js'
import { resolvePair } from '../../common/pair.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { Inputs } from '../inputs.js'
import { checkApplication, type GatewayFor } from '../lookup.js'
import type { BlueGreenInputs } from './inputs.js'
import { twinPrefixCandidates, twinToCreate, type BlueGreenPlan } from './plan.js'

/**
 * The blue/green look-up (read-only): which of the pair holds `live-cname` (common/pair.ts decides), and when the
 * idle twin does not exist, what its clone needs: the live one's tags and a free CNAME prefix. The deploy then reads
 * the idle environment (or, when it is to be created, the live one it clones) as an in-place deploy reads its own.
 */
export { createTwin } from './create.js'
export { withBlueGreen } from './plan.js'

export interface PairFound {
  blueGreen: BlueGreenPlan
  /** What the rest of the look-up reads (configuration, platform): the idle one, or the live one it is cloned from. */
  environment: EnvironmentInfo
  /** The inputs with `environment` set to that environment's name. */
  inputs: Inputs
}

/** The pair's look-up (its own log group), or undefined for an in-place deploy. */
export async function lookUpPair(gatewayFor: GatewayFor, inputs: Inputs): Promise<PairFound | undefined> {
  const blueGreen = inputs.blueGreen
  if (!blueGreen) return undefined
  return await phase(`Blue/green: which of ${blueGreen.pair.names.join(' and ')} is live`, () =>
    findPair(gatewayFor, inputs, blueGreen)
  )
}

async function findPair(gatewayFor: GatewayFor, inputs: Inputs, bg: BlueGreenInputs): Promise<PairFound> {
  const { application, region } = inputs
  const { pair, liveCname } = bg
  const beanstalk = gatewayFor(region)
  const all = (await beanstalk.environments({ application })).filter(e => e.status !== 'Terminated')
  const named = (e: EnvironmentInfo) => pair.names.some(n => n.toLowerCase() === e.name.toLowerCase())
  // neither of the pair found: the application itself may be misnamed (its own error, with the names that exist)
  if (!all.some(named)) await checkApplication(gatewayFor, region, application)
  const { live, idle, idleName } = resolvePair(pair, liveCname, all)
  core.info(
    `${live.name} holds ${liveCname.host}: it is live (${live.status}, health ${live.health}, running ${live.versionLabel ?? 'no version'}). ${idle ? `${idle.name} is idle (${idle.cname ?? 'no CNAME'}, ${idle.status}, health ${idle.health}, running ${idle.versionLabel ?? 'no version'}): it is deployed to.` : `${idleName} does not exist: it is created as a clone of ${live.name}.`}`
  )
  const found = (blueGreen: BlueGreenPlan, environment: EnvironmentInfo): PairFound => ({
    blueGreen,
    environment,
    inputs: { ...inputs, environment: environment.name }
  })
  if (idle) {
    if (idle.status === 'Terminating')
      throw new UserError(
        `The idle environment ${idle.name} is being terminated: it cannot be deployed to, and a new twin of that name can only be created once it is gone. Run again in a few minutes: the twin is then created anew as a clone of ${live.name}.`,
        { input: 'environment-name', title: 'Idle environment terminating' }
      )
    return found({ liveCname, live, idleName, idle }, idle)
  }
  if (!live.versionLabel)
    throw new UserError(
      `The live environment ${live.name} runs no application version (Beanstalk's sample application), so its twin would have nothing to start on. Deploy to ${live.name} once in place (strategy: in-place), then release blue/green.`,
      { input: 'strategy', title: 'Live environment has no version' }
    )
  const tags = live.arn ? await beanstalk.launches.tags(live.arn) : {}
  const prefix = await freePrefix(beanstalk, twinPrefixCandidates(liveCname, idleName), idleName)
  return found(
    { liveCname, live, idleName, create: twinToCreate(live, idleName, prefix, region, tags) },
    live
  )
}

/** The first candidate CheckDNSAvailability says is free; an error naming them all when none is. */
async function freePrefix(
  beanstalk: BeanstalkGateway,
  candidates: string[],
  idleName: string
): Promise<string> {
  const taken: string[] = []
  for (const prefix of candidates) {
    const { available, host } = await beanstalk.launches.cnameAvailable(prefix)
    if (available) return prefix
    taken.push(host ?? prefix)
  }
  throw new UserError(
    `The twin ${idleName} needs a CNAME of its own, but ${taken.join(' and ')} ${taken.length === 1 ? 'is' : 'are'} taken (CheckDNSAvailability). Free one of them (an environment that holds it, perhaps one being terminated), or name the pair differently in 'environment-name'.`,
    { input: 'environment-name', title: 'No CNAME for the twin' }
  )
}
