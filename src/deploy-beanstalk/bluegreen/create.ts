import * as core from '@actions/core'
import { UserError, describeError, isAwsError } from '../../common/errors.js'
import { OutcomeUnknownError } from '../../common/failure.js'
import { formatDuration } from '../../common/format.js'
import { phase } from '../../common/log.js'
import type { Deadline } from '../../common/retry.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import type { NewEnvironment } from '../aws/environments.js'
import type { Plan } from '../plan.js'
import type { BeanstalkEvent } from '../update/events.js'
import { follow } from '../update/follow.js'
import { describeLost } from '../update/lost-reply.js'
import { withTwin, type TwinToCreate } from './plan.js'

/**
 * Creating the idle twin (when the plan says so; else the plan is returned as it is) as a clone of the live environment, what `eb clone` does: a configuration template saved
 * from the live one (its platform version and option settings), CreateEnvironment from it with the live one's
 * version and tags at a CNAME of its own, the template deleted again, then the launch followed until Ready (events
 * streamed, a heartbeat). The live environment is only read. A lost CreateEnvironment reply is checked (the
 * environment looked up by name) before the request is sent again.
 */
export async function createTwin(
  beanstalk: BeanstalkGateway,
  plan: Plan,
  deadline: Deadline,
  onSeen?: (seen: { event?: BeanstalkEvent; environment?: EnvironmentInfo }) => void
): Promise<Plan> {
  if (!plan.blueGreen?.create) return plan // in place, or the idle twin exists
  const { live, create: twin } = plan.blueGreen
  const started = deadline.clock.now()
  const since = new Date(started)
  const created = await phase(`Create ${twin.name} as a clone of ${live.name}`, async () => {
    await saveTemplate(beanstalk, plan.application, twin, live)
    core.info(`Saved configuration template ${twin.templateName} from ${live.name} (${live.id}).`)
    try {
      return await createEnvironment(beanstalk, {
        application: plan.application,
        name: twin.name,
        templateName: twin.templateName,
        cnamePrefix: twin.cnamePrefix,
        versionLabel: twin.versionLabel,
        tags: twin.tags,
        description: `Blue/green twin of ${live.name}, created by imbit/actions deploy-beanstalk`
      })
    } finally {
      // the new environment has its own copy of the settings: the template is not needed any more
      await beanstalk.launches
        .deleteTemplate(plan.application, twin.templateName)
        .catch((error: unknown) =>
          core.warning(
            `Configuration template ${twin.templateName} of ${plan.application} could not be deleted (${describeError(error)}): delete it in the console (Application → Saved configurations); it is replaced by the next clone.`
          )
        )
    }
  })
  core.info(`${created.name} (${created.id}) is ${created.status} at ${created.cname ?? twin.host}.`)
  onSeen?.({ environment: created })
  const launched = await phase(`Follow the launch of ${twin.name}`, () =>
    follow(beanstalk, {
      application: plan.application,
      environmentId: created.id,
      target: twin.versionLabel,
      // a launch's aim is a running environment; the deploy that follows checks the required health
      requiredHealth: 'Yellow',
      since,
      deadline,
      timeoutMs: plan.timeoutMs,
      initial: created,
      onSeen,
      what: `the launch of ${created.name} (${created.id})`
    })
  )
  const seen = launched.environment ?? created
  if (launched.kind === 'success') {
    core.info(
      `${created.name} is Ready (health ${seen.health}, running ${seen.versionLabel ?? 'no version'}) after ${formatDuration(deadline.clock.now() - started)}.`
    )
    return withTwin(plan, launched.environment)
  }
  const now = `it is ${seen.status}, health ${seen.health}`
  if (launched.kind === 'timeout')
    throw new UserError(
      `${twin.name} was still launching when the timeout (${formatDuration(plan.timeoutMs)}) ran out (${now}); nothing was deployed and ${live.name} was not changed. A launch takes minutes: run again (the twin is then found and deployed to), or raise timeout. See ${plan.consoleUrl}`,
      { input: 'timeout', title: 'Twin still launching' }
    )
  throw new UserError(
    `Creating ${twin.name} as a clone of ${live.name} failed: ${launched.decision.reason} (${now}). Nothing was deployed and ${live.name} was not changed. See the events above and ${plan.consoleUrl}; terminate ${twin.name} before running again if it cannot recover.`,
    { title: 'Twin not created' }
  )
}

/** CreateConfigurationTemplate from the live environment; one left by an interrupted run is replaced (it may be stale). */
async function saveTemplate(
  beanstalk: BeanstalkGateway,
  application: string,
  twin: TwinToCreate,
  live: EnvironmentInfo
): Promise<void> {
  const description = `Settings of ${live.name} for its blue/green twin ${twin.name} (deleted once it is created)`
  try {
    await beanstalk.launches.saveTemplate(application, twin.templateName, live.id, description)
  } catch (error) {
    if (!isAwsError(error, 'InvalidParameterValue') || !/already exists/i.test((error as Error).message))
      throw error
    core.info(`Configuration template ${twin.templateName} exists already (an earlier run): replacing it.`)
    await beanstalk.launches.deleteTemplate(application, twin.templateName)
    await beanstalk.launches.saveTemplate(application, twin.templateName, live.id, description)
  }
}

/**
 * CreateEnvironment, once: a lost reply is checked by looking the environment up by name before the request is sent
 * again; a CNAME taken since the look-up checked it fails with Beanstalk's own message and what to do.
 */
async function createEnvironment(
  beanstalk: BeanstalkGateway,
  spec: NewEnvironment
): Promise<EnvironmentInfo> {
  try {
    try {
      return await beanstalk.launches.create(spec)
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error
      core.info(
        `The reply to CreateEnvironment was lost (${describeLost(error)}): checking whether ${spec.name} exists before sending it again.`
      )
      const made = await madeByUs(beanstalk, spec)
      if (made) {
        core.info(`It does (${made.status}): following it, not sending the request again.`)
        return made
      }
      core.info(`It does not: sending CreateEnvironment again.`)
      return await beanstalk.launches.create(spec)
    }
  } catch (error) {
    if (
      isAwsError(error, 'InvalidParameterValue') &&
      /DNS name .* is not available/i.test((error as Error).message)
    )
      throw new UserError(
        `Beanstalk refused the twin's CNAME: ${(error as Error).message} It was free when this run checked it (CheckDNSAvailability): another environment took it since. Run again: the next free CNAME is chosen.`,
        { input: 'environment-name', title: 'CNAME taken', cause: error }
      )
    if (isAwsError(error, 'InvalidParameterValue') && /already exists/i.test((error as Error).message)) {
      const made = await madeByUs(beanstalk, spec)
      if (made) return made // an earlier try of this request made it
      throw new UserError(
        `Beanstalk refused to create ${spec.name}: ${(error as Error).message} An environment of that name exists elsewhere (another application in this region): name the pair differently.`,
        { input: 'environment-name', title: 'Environment name taken', cause: error }
      )
    }
    throw error
  }
}

/** The environment of that name in the application, when it is there (not terminated) at our CNAME. */
async function madeByUs(
  beanstalk: BeanstalkGateway,
  spec: NewEnvironment
): Promise<EnvironmentInfo | undefined> {
  const found = await beanstalk.environments({ application: spec.application, names: [spec.name] })
  return found.find(
    e =>
      e.name === spec.name &&
      !/^Terminat/.test(e.status) &&
      e.cname?.toLowerCase().startsWith(`${spec.cnamePrefix.toLowerCase()}.`)
  )
}
