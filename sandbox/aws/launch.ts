/**
 * New environments (what `eb clone` and a blue/green twin need), on the Beanstalk of beanstalk.ts: the configuration
 * templates of templates.ts, CheckDNSAvailability, CreateEnvironment
 * (from a template or a platform, with a CNAME prefix: refused with Beanstalk's own error when it is taken; Launching
 * → Ready with a launch's events, on the sandbox's clock) and ListTagsForResource.
 *
 * Beanstalk's own words where they are known: "DNS name (<host>) is not available." (CreateEnvironment with a taken
 * prefix, as the AWS SDKs report it). The other refusals are modelled on the API reference's rules.
 */
import { createHash } from 'node:crypto'
import type { Beanstalk, Environment, Params } from './beanstalk.js'
import { memberObjects } from './beanstalk.js'
import { Templates } from './templates.js'
import { AwsError, DEFAULT_LAUNCH_MS, type OptionSettingView } from './types.js'
import { members, type XmlNode } from './xml.js'

export const LAUNCH_OPERATIONS = [
  'CreateConfigurationTemplate',
  'DeleteConfigurationTemplate',
  'CheckDNSAvailability',
  'CreateEnvironment',
  'ListTagsForResource'
] as const

const ENV_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{2,38}[A-Za-z0-9])$/
const CNAME_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9-]{2,61}[A-Za-z0-9])$/
/** Tag keys users may not set: Beanstalk sets these itself. */
const RESERVED_TAG = /^(aws:|elasticbeanstalk:)/i

const invalid = (message: string) => new AwsError('InvalidParameterValue', message)
const missing = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}.`)

/** A stable short token (the random part of an id or a generated CNAME). */
function token(seed: string, length: number): string {
  const hash = createHash('sha256').update(seed).digest()
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[hash[i] % alphabet.length]
  return out
}

export class Launches {
  readonly templates: Templates
  private created = 0
  private readonly launchMs: number

  constructor(
    private readonly beanstalk: Beanstalk,
    launchMs: number | undefined
  ) {
    this.launchMs = launchMs ?? DEFAULT_LAUNCH_MS
    this.templates = new Templates(beanstalk)
  }

  handle(operation: string, p: Params, region: string, requestId: string): XmlNode | undefined {
    switch (operation) {
      case 'CreateConfigurationTemplate':
        return this.templates.create(p, region)
      case 'DeleteConfigurationTemplate':
        this.templates.delete(p, region)
        return undefined
      case 'CheckDNSAvailability':
        return this.checkDns(p, region)
      case 'CreateEnvironment':
        return this.createEnvironment(p, region, requestId)
      case 'ListTagsForResource':
        return this.listTags(p, region)
      default:
        throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`)
    }
  }
  private hostFor(prefix: string, region: string): string {
    return `${prefix.toLowerCase()}.${region}.elasticbeanstalk.com`
  }

  /** The environment (not terminated) whose CNAME is this host, if any. */
  private holder(host: string, region: string): Environment | undefined {
    return this.beanstalk.envs.find(
      e => e.region === region && e.cname.toLowerCase() === host && this.beanstalk.status(e) !== 'Terminated'
    )
  }

  private checkDns(p: Params, region: string): XmlNode {
    if (!p.CNAMEPrefix) throw missing('CNAMEPrefix')
    if (!CNAME_PREFIX.test(p.CNAMEPrefix))
      throw invalid(`Value '${p.CNAMEPrefix}' for CNAMEPrefix is not a valid DNS label.`)
    const host = this.hostFor(p.CNAMEPrefix, region)
    return { Available: this.holder(host, region) === undefined, FullyQualifiedCNAME: host }
  }

  private createEnvironment(p: Params, region: string, requestId: string): XmlNode {
    const bs = this.beanstalk
    if (!p.ApplicationName) throw missing('ApplicationName')
    const name = p.EnvironmentName
    if (!name) throw missing('EnvironmentName')
    if (!bs.application(p.ApplicationName, region))
      throw invalid(`No Application named '${p.ApplicationName}' found.`)
    if (!ENV_NAME.test(name))
      throw invalid(
        `Value '${name}' for EnvironmentName is invalid: 4 to 40 letters, digits and hyphens, not starting or ending with a hyphen.`
      )
    if (bs.envs.some(e => e.region === region && e.name === name && bs.status(e) !== 'Terminated'))
      throw invalid(`Environment ${name} already exists.`)
    const platform = bs.platforms.requested(p, region)
    const template = p.TemplateName
      ? this.templates.find(p.ApplicationName, p.TemplateName, region)
      : undefined
    if (p.TemplateName && platform)
      throw new AwsError(
        'InvalidParameterCombination',
        'You cannot specify both a TemplateName and a SolutionStackName or PlatformArn.'
      )
    if (p.TemplateName && !template)
      throw invalid(`No Configuration Template named '${p.TemplateName}' found.`)
    if (!template && !platform)
      throw new AwsError(
        'InvalidParameterCombination',
        'You must specify a TemplateName, a SolutionStackName or a PlatformArn.'
      )
    const label = p.VersionLabel
    if (label !== undefined) {
      const version = bs.findVersion(p.ApplicationName, label, region)
      if (!version) throw invalid(`No Application Version named '${label}' found.`)
      if (version.status === 'FAILED')
        throw invalid(`Application version '${label}' has failed processing and cannot be deployed.`)
    }
    const tags = memberObjects(p, 'Tags')
    const reserved = tags.find(t => RESERVED_TAG.test(t.Key ?? ''))
    if (reserved)
      throw invalid(
        `Tag key '${reserved.Key ?? ''}' is reserved: keys starting with aws: or elasticbeanstalk: are set by AWS.`
      )
    let cname: string
    if (p.CNAMEPrefix !== undefined) {
      if (!CNAME_PREFIX.test(p.CNAMEPrefix))
        throw invalid(`Value '${p.CNAMEPrefix}' for CNAMEPrefix is not a valid DNS label.`)
      cname = this.hostFor(p.CNAMEPrefix, region)
      if (this.holder(cname, region)) throw invalid(`DNS name (${cname}) is not available.`)
    } else {
      // without a prefix Beanstalk makes one of the name and a random token
      cname = `${name.toLowerCase()}.${token(`${name}#${this.created}`, 10)}.${region}.elasticbeanstalk.com`
    }
    const settings = new Map<string, OptionSettingView>()
    const key = (s: { namespace: string; optionName: string; resourceName?: string }) =>
      `${s.resourceName ?? ''}|${s.namespace}|${s.optionName}`
    for (const s of template?.settings ?? []) settings.set(key(s), { ...s })
    for (const o of memberObjects(p, 'OptionSettings')) {
      if (!o.Namespace || !o.OptionName)
        throw invalid('Each option setting needs a Namespace and an OptionName.')
      const s = {
        namespace: o.Namespace,
        optionName: o.OptionName,
        value: o.Value ?? '',
        resourceName: o.ResourceName
      }
      settings.set(key(s), s)
    }
    const now = bs.now()
    this.created++
    const env: Environment = {
      region,
      app: p.ApplicationName,
      name,
      id: `e-${token(`${region}/${name}#${this.created}`, 10)}`,
      cname,
      stack: template?.stack ?? platform?.solutionStackName ?? '',
      created: now,
      updated: now,
      status: 'Launching',
      health: 'Grey',
      versionLabel: undefined,
      // what a twin does on its own updates: the source environment's behaviour when it is a clone, else healthy
      script: template?.source
        ? { ...template.source.script, followedBy: undefined }
        : { durationMs: 3000, outcome: 'healthy' },
      settings: [...settings.values()],
      tags: Object.fromEntries(tags.map(t => [t.Key ?? '', t.Value ?? '']))
    }
    env.update = {
      startedAt: now,
      endsAt: now + this.launchMs,
      outcome: 'healthy',
      to: label,
      yellowMs: 0,
      launch: true
    }
    bs.envs.push(env)
    this.launchEvents(env, now, requestId)
    return bs.envXml(env)
  }

  /** A launch's events (Docker platform, single instance), dated from the request to Ready. */
  private launchEvents(env: Environment, start: number, requestId: string): void {
    const at = (fraction: number) => start + Math.round(this.launchMs * fraction)
    const bucket = this.beanstalk.storageBucket(env.region)
    const messages: Array<[number, string]> = [
      [0, 'createEnvironment is starting.'],
      [0.05, `Using ${bucket} as Amazon S3 storage bucket for environment data.`],
      [0.15, `Created security group named: sg-0${token(env.id, 16)}`],
      [0.25, `Created EIP: 192.0.2.${(env.id.charCodeAt(2) % 200) + 10}`],
      [0.35, 'Waiting for EC2 instances to launch. This may take a few minutes.'],
      [0.85, 'Instance deployment completed successfully.'],
      [0.95, `Application available at ${env.cname}.`],
      [1, `Successfully launched environment: ${env.name}`]
    ]
    for (const [fraction, message] of messages) {
      this.beanstalk.addEvent({
        date: at(fraction),
        region: env.region,
        severity: 'INFO',
        message,
        app: env.app,
        envName: env.name,
        envId: env.id,
        versionLabel: env.update?.to,
        requestId
      })
    }
  }

  /** ListTagsForResource of an environment: its own tags and the ones Beanstalk sets. */
  private listTags(p: Params, region: string): XmlNode {
    const arn = p.ResourceArn ?? ''
    const m = /^arn:aws:elasticbeanstalk:([^:]+):(\d+):environment\/([^/]+)\/(.+)$/.exec(arn)
    const env =
      m && m[1] === region
        ? this.beanstalk.envs.find(
            e =>
              e.region === region &&
              e.app === m[3] &&
              e.name === m[4] &&
              this.beanstalk.status(e) !== 'Terminated'
          )
        : undefined
    if (!env) throw new AwsError('ResourceNotFoundException', `Resource ${arn} not found.`, 400)
    const tags = {
      ...env.tags,
      'elasticbeanstalk:environment-name': env.name,
      'elasticbeanstalk:environment-id': env.id,
      Name: env.name
    }
    return {
      ResourceArn: arn,
      ResourceTags: members(Object.entries(tags).map(([Key, Value]) => ({ Key, Value })))
    }
  }
}
