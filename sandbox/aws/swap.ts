/**
 * Blue/green in the sandbox's Elastic Beanstalk: SwapEnvironmentCNAMEs and TerminateEnvironment, with Beanstalk's
 * behaviour as the API reference and the console show it.
 *
 * - SwapEnvironmentCNAMEs: both environments must be Ready (else Beanstalk's own "… is in an invalid state for this
 *   operation. Must be Ready."); both go Updating for the scenario's `swapMs`, each with the swap's events, and
 *   when it ends each holds the other's CNAME. Health is kept (Grey while Updating, as basic health shows it).
 * - TerminateEnvironment: Ready only; Terminating for `terminateMs`, then Terminated (health Grey): from then on the
 *   environment is found only with IncludeDeleted, and its CNAME no longer counts as taken.
 *
 * Like every update of the sandbox, both are dated ahead (lazy state: beanstalk.ts settles them when the clock
 * passes their end), so nothing depends on timers.
 */
import type { Beanstalk, BeanstalkEvent, Environment, Params } from './beanstalk.js'
import { AwsError } from './types.js'
import type { XmlNode } from './xml.js'

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message)
}

/** Beanstalk's answer to an operation on an environment that is not Ready. */
function mustBeReady(env: Environment): AwsError {
  return invalid(`Environment named ${env.name} is in an invalid state for this operation. Must be Ready.`)
}

/** One side of a swap: found by id or name (as the API reference says: the id needs the other side's id). */
function side(beanstalk: Beanstalk, p: Params, region: string, which: 'Source' | 'Destination'): Environment {
  const id = p[`${which}EnvironmentId`]
  const name = p[`${which}EnvironmentName`]
  if (id === undefined && name === undefined) {
    throw new AwsError(
      'MissingParameter',
      `You must specify either ${which}EnvironmentId or ${which}EnvironmentName.`
    )
  }
  const env = beanstalk.findEnv({ EnvironmentId: id ?? '', EnvironmentName: name ?? '' }, region)
  if (id !== undefined && name !== undefined && env.name !== name) {
    throw invalid(`No Environment found for EnvironmentName = '${name}' with EnvironmentId = '${id}'.`)
  }
  return env
}

function event(
  beanstalk: Beanstalk,
  env: Environment,
  date: number,
  message: string,
  requestId: string,
  severity: BeanstalkEvent['severity'] = 'INFO'
): void {
  beanstalk.addEvent({
    date,
    region: env.region,
    severity,
    message,
    app: env.app,
    envName: env.name,
    envId: env.id,
    requestId
  })
}

export function swapEnvironmentCNAMEs(
  beanstalk: Beanstalk,
  p: Params,
  region: string,
  requestId: string
): void {
  if ((p.SourceEnvironmentId === undefined) !== (p.DestinationEnvironmentId === undefined)) {
    throw new AwsError(
      'InvalidParameterCombination',
      'You must specify SourceEnvironmentId together with DestinationEnvironmentId.'
    )
  }
  const source = side(beanstalk, p, region, 'Source')
  const destination = side(beanstalk, p, region, 'Destination')
  if (source.id === destination.id) {
    throw invalid(`Cannot swap the CNAME of environment ${source.name} with itself.`)
  }
  for (const env of [source, destination]) {
    if (beanstalk.status(env) !== 'Ready') throw mustBeReady(env)
  }
  const now = beanstalk.now()
  const endsAt = now + beanstalk.swapMs
  const names = `'${source.name}' and '${destination.name}'`
  for (const [env, other] of [
    [source, destination],
    [destination, source]
  ] as const) {
    env.update = {
      startedAt: now,
      endsAt,
      outcome: 'swap',
      to: env.versionLabel,
      yellowMs: 0,
      cname: other.cname
    }
    env.updated = now
    event(beanstalk, env, now, 'swapEnvironmentCNAMEs is starting.', requestId)
    event(
      beanstalk,
      env,
      now + Math.round(beanstalk.swapMs * 0.1),
      `Swapping CNAMEs for environments ${names}.`,
      requestId
    )
    event(beanstalk, env, endsAt, `Completed swapping CNAMEs for environments ${names}.`, requestId)
    event(beanstalk, env, endsAt, 'swapEnvironmentCNAMEs completed successfully.', requestId)
  }
}

export function terminateEnvironment(
  beanstalk: Beanstalk,
  p: Params,
  region: string,
  requestId: string
): XmlNode {
  const env = beanstalk.findEnv(p, region)
  if (beanstalk.status(env) !== 'Ready') throw mustBeReady(env)
  const now = beanstalk.now()
  const endsAt = now + beanstalk.terminateMs
  env.update = { startedAt: now, endsAt, outcome: 'terminate', to: env.versionLabel, yellowMs: 0 }
  env.updated = now
  event(beanstalk, env, now, 'terminateEnvironment is starting.', requestId)
  event(
    beanstalk,
    env,
    now + Math.round(beanstalk.terminateMs * 0.2),
    'Waiting for EC2 instances to terminate. This may take a few minutes.',
    requestId
  )
  event(beanstalk, env, endsAt, 'terminateEnvironment completed successfully.', requestId)
  return beanstalk.envXml(env)
}
