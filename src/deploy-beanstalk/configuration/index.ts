import * as core from '@actions/core'
import { addSecret } from '../../common/secrets.js'
import type { BeanstalkGateway, EnvironmentInfo } from '../aws/beanstalk.js'
import { planConfiguration, type ConfigurationPlan } from './diff.js'
import { ENVIRONMENT_NAMESPACE, hasConfiguration, type ConfigurationInputs } from './inputs.js'

/**
 * Environment configuration from GitHub: inputs (inputs.ts, options.ts), the difference against the environment
 * (diff.ts). This file is the look-up step: read-only. The update that carries the change is the update stage's
 * (update/start.ts: with the version in one update, or first when Beanstalk refuses both).
 */
export type { ConfigurationPlan, ConfigurationRequest } from './diff.js'

/** The account in an ARN such as arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/App/Env. */
export function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4]
  return account && /^\d{12}$/.test(account) ? account : undefined
}

/**
 * Reads the environment's settings (DescribeConfigurationSettings) and decides the change, when any configuration
 * input is set; undefined otherwise (then nothing is read). Throws a UserError when a limit or an ARN is wrong.
 */
export async function lookUpConfiguration(
  beanstalk: BeanstalkGateway,
  application: string,
  environment: EnvironmentInfo,
  region: string,
  inputs: ConfigurationInputs
): Promise<ConfigurationPlan | undefined> {
  if (!hasConfiguration(inputs)) return undefined
  const current = await beanstalk.configurationSettings(application, environment.name)
  // The values there now are masked too: a rollback sends them back, and an AWS error may quote what it got.
  for (const setting of current) {
    if (setting.namespace === ENVIRONMENT_NAMESPACE) addSecret(setting.value)
  }
  const plan = planConfiguration(inputs, current, { region, account: accountOf(environment.arn) })
  const changed = plan.changes.filter(c => c.change !== 'unchanged' && c.change !== 'not present').length
  core.info(
    `Configuration: ${current.length} settings read; ${changed} of the ${plan.changes.length} named ${changed === 1 ? 'differs' : 'differ'}.`
  )
  return plan
}
