import { UserError } from '../../common/errors.js'
import { parseList } from '../../common/inputs.js'
import { parseOptionSettings } from './options.js'

export { parseOptionSettings } from './options.js'

/**
 * The configuration inputs of deploy-beanstalk (`environment-variables`, `environment-secrets`,
 * `remove-environment-variables`, `option-settings`), parsed and checked without AWS. Pure.
 *
 * A value is never part of an error message: messages name the input, the line and the name only, since values
 * come from GitHub secrets. (The caller masks every variable value with core.setSecret before parsing.)
 *
 * Rules, with their source:
 * - Property names: "Keys can contain any alphanumeric characters and the following symbols: _ . : / + \ - @",
 *   up to 128 characters; for all platforms keep to [A-Z_][A-Z0-9_]* (Elastic Beanstalk Developer Guide,
 *   "Environment properties and other software settings", Environment property limits). The same rule is applied
 *   to secret names, which Beanstalk sets as environment variables too.
 * - Namespaces: aws:elasticbeanstalk:application:environment (properties) and
 *   aws:elasticbeanstalk:application:environmentsecrets (SSM / Secrets Manager ARNs) (Developer Guide, "Fetching
 *   secrets and parameters to Elastic Beanstalk environment variables"; "General options for all environments").
 * - Secret ARNs: arn:<partition>:ssm:<region>:<account>:parameter/<name> or
 *   arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-XXXXXX[:<json-key>]; a JSON key only for
 *   Secrets Manager, top level, no colon in it (same guide, "Extracting JSON keys from Secrets Manager secrets").
 */

export { ENVIRONMENT_NAMESPACE } from '../../common/aws.js'
export const SECRETS_NAMESPACE = 'aws:elasticbeanstalk:application:environmentsecrets'

/** Characters Beanstalk allows in an environment property name (the Developer Guide's list). */
export const NAME_CHARACTERS = 'letters, digits and _ . : / + \\ - @'
const NAME_PATTERN = /^[A-Za-z0-9_.:/+\\\-@]+$/
/** Names every platform (and a POSIX shell) accepts as an environment variable. */
const PORTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
export const MAX_NAME_LENGTH = 128

export interface SecretReference {
  service: 'ssm' | 'secretsmanager'
  partition: string
  region: string
  account: string
  /** The JSON key after the secret's ARN (Secrets Manager only). */
  jsonKey?: string
}

/** One option setting as the user gave it (and as UpdateEnvironment takes it). */
export interface OptionSettingInput {
  namespace: string
  optionName: string
  value: string
  resourceName?: string
}

export interface ConfigurationInputs {
  /** NAME → value, in input order. */
  variables: Map<string, string>
  /** NAME → ARN, in input order. */
  secrets: Map<string, string>
  /** Names to remove (from either namespace). */
  remove: string[]
  options: OptionSettingInput[]
  /** Names that will work on Beanstalk but are not portable environment variable names. */
  warnings: string[]
}

export function hasConfiguration(c: ConfigurationInputs): boolean {
  return c.variables.size > 0 || c.secrets.size > 0 || c.remove.length > 0 || c.options.length > 0
}

/** Checks a property name; returns a warning when it is valid but not portable. */
export function checkName(input: string, name: string, where: string): string | undefined {
  if (name === '') throw new UserError(`Input '${input}', ${where}: the name is empty.`, { input })
  if (name.length > MAX_NAME_LENGTH) {
    throw new UserError(
      `Input '${input}', ${where}: the name ${name.slice(0, 40)}… has ${name.length} characters; Beanstalk allows at most ${MAX_NAME_LENGTH}.`,
      { input }
    )
  }
  if (!NAME_PATTERN.test(name)) {
    const bad = Array.from(new Set(Array.from(name).filter(c => !NAME_PATTERN.test(c))))
    throw new UserError(
      `Input '${input}', ${where}: the name ${JSON.stringify(name)} has ${bad.map(c => JSON.stringify(c)).join(', ')}; Beanstalk allows only ${NAME_CHARACTERS} in environment property names.`,
      { input }
    )
  }
  if (!PORTABLE_NAME.test(name)) {
    return `${name} (${input}) is a valid Beanstalk property name but not a portable environment variable name ([A-Za-z_][A-Za-z0-9_]*): some platforms or shells will not see it.`
  }
  return undefined
}

interface Line {
  number: number
  text: string
}

/** Non-blank lines that are not `#` comments, with their line numbers. */
function contentLines(text: string): Line[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ number: index + 1, text: line.trim() }))
    .filter(line => line.text !== '' && !line.text.startsWith('#'))
}

/** `NAME=value` lines; `=` may appear in the value; a name given twice is an error. */
function parseAssignments(input: string, text: string, warnings: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of contentLines(text)) {
    const at = line.text.indexOf('=')
    const where = `line ${line.number}`
    if (at < 0) {
      throw new UserError(
        `Input '${input}', ${where}: expected NAME=value (the line has no "="). Blank lines and lines starting with # are ignored.`,
        { input }
      )
    }
    const name = line.text.slice(0, at).trim()
    const value = line.text.slice(at + 1).trim()
    const warning = checkName(input, name, where)
    if (warning) warnings.push(warning)
    if (out.has(name)) {
      throw new UserError(`Input '${input}', ${where}: ${name} is set twice; keep one line for it.`, {
        input
      })
    }
    out.set(name, value)
  }
  return out
}

const PARTITION = '(aws|aws-cn|aws-us-gov)'
const REGION = '([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\\d)'
const ACCOUNT = '(\\d{12})'
const SSM_ARN = new RegExp(`^arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter(/?[A-Za-z0-9_.\\-/]+)$`)
/** Secret names: letters, digits and /_+=.@- (Secrets Manager's rule), then an optional `:json-key`. */
const SECRETS_ARN = new RegExp(
  `^arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:([A-Za-z0-9/_+=.@-]+)(?::([^:]+))?$`
)

/** Parses an SSM parameter or Secrets Manager secret ARN (with an optional `:json-key`); undefined if neither. */
export function parseSecretArn(arn: string): SecretReference | undefined {
  const ssm = SSM_ARN.exec(arn)
  if (ssm) return { service: 'ssm', partition: ssm[1], region: ssm[2], account: ssm[3] }
  const sm = SECRETS_ARN.exec(arn)
  if (sm) {
    return { service: 'secretsmanager', partition: sm[1], region: sm[2], account: sm[3], jsonKey: sm[5] }
  }
  return undefined
}

const ARN_FORMS =
  'arn:aws:ssm:<region>:<account>:parameter/<name>, or arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, optionally followed by :<json-key>'

/** `NAME=<ARN>` lines; every ARN is checked for its form here, for region and account against the environment later. */
function parseSecrets(text: string, warnings: string[]): Map<string, string> {
  const input = 'environment-secrets'
  const secrets = parseAssignments(input, text, warnings)
  for (const [name, arn] of secrets) {
    if (arn === '') {
      throw new UserError(
        `Input '${input}': ${name} has no ARN. Give ${ARN_FORMS}; to remove it, use remove-environment-variables.`,
        { input }
      )
    }
    if (parseSecretArn(arn)) continue
    const hint = /^arn:[^:]+:ssm:.*:parameter\/.*:[^/]*$/.test(arn)
      ? ' A :json-key suffix works only with Secrets Manager secrets, not SSM parameters.'
      : /^arn:[^:]+:(ssm|secretsmanager):/.test(arn)
        ? ''
        : /^arn:[^:]+:([^:]+):/.test(arn)
          ? ` It is an ARN of ${/^arn:[^:]+:([^:]+):/.exec(arn)?.[1]}, not of SSM Parameter Store or Secrets Manager.`
          : ' It is not an ARN (a value belongs in environment-variables, never a secret value here).'
    throw new UserError(
      `Input '${input}': the ARN for ${name} is not one Beanstalk can fetch. Expected ${ARN_FORMS}.${hint}`,
      { input }
    )
  }
  return secrets
}

/** Parses and cross-checks the four configuration inputs. */
export function parseConfigurationInputs(raw: {
  'environment-variables': string
  'environment-secrets': string
  'remove-environment-variables': string
  'option-settings': string
}): ConfigurationInputs {
  const warnings: string[] = []
  const variables = parseAssignments('environment-variables', raw['environment-variables'], warnings)
  const secrets = parseSecrets(raw['environment-secrets'], warnings)
  const remove = parseList(raw['remove-environment-variables'])
  for (const name of remove) checkName('remove-environment-variables', name, 'a name')
  const both = [...variables.keys()].filter(name => secrets.has(name))
  if (both.length > 0) {
    throw new UserError(
      `${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} set both in environment-variables and in environment-secrets: an environment variable has one source; keep ${both.length === 1 ? 'it' : 'each'} in one input.`,
      { input: 'environment-secrets' }
    )
  }
  const setAndRemoved = remove.filter(name => variables.has(name) || secrets.has(name))
  if (setAndRemoved.length > 0) {
    throw new UserError(
      `${setAndRemoved.join(', ')} ${setAndRemoved.length === 1 ? 'is' : 'are'} both set and listed in remove-environment-variables: drop ${setAndRemoved.length === 1 ? 'it' : 'them'} from one of the two.`,
      { input: 'remove-environment-variables' }
    )
  }
  const duplicates = remove.filter((name, i) => remove.indexOf(name) !== i)
  if (duplicates.length > 0) {
    throw new UserError(
      `Input 'remove-environment-variables': ${[...new Set(duplicates)].join(', ')} is listed twice.`,
      { input: 'remove-environment-variables' }
    )
  }
  return { variables, secrets, remove, options: parseOptionSettings(raw['option-settings']), warnings }
}

/**
 * The values to mask before anything is printed: every environment variable value (lines `NAME=value`), and a
 * whole line that has no `=` (it may be a value pasted without its name).
 */
export function valuesToMask(environmentVariables: string): string[] {
  return contentLines(environmentVariables)
    .map(line => {
      const at = line.text.indexOf('=')
      return at < 0 ? line.text : line.text.slice(at + 1).trim()
    })
    .filter(value => value !== '')
}
