import {
  CheckDNSAvailabilityCommand,
  CreateConfigurationTemplateCommand,
  CreateEnvironmentCommand,
  DeleteConfigurationTemplateCommand,
  ListTagsForResourceCommand,
  type ElasticBeanstalkClient
} from '@aws-sdk/client-elastic-beanstalk'
import { toEnvironmentInfo, type EnvironmentInfo } from './types.js'

/**
 * The calls that make a new environment (a blue/green twin cloned from the live one, ../bluegreen/): a
 * configuration template saved from an environment, CNAME availability, CreateEnvironment, the environment's tags.
 * Through the Beanstalk gateway's client, so its call budget and deadline count them like every other request.
 */

/**
 * Mutating calls that are never sent twice blindly: a lost reply fails with an OutcomeUnknownError and the caller
 * checks what happened first (update/lost-reply.ts, versions/create.ts, bluegreen/create.ts).
 */
export const UNSAFE_TO_REPEAT: ReadonlySet<string> = new Set([
  'UpdateEnvironment',
  'CreateApplicationVersion',
  'CreateEnvironment',
  // diagnostics.ts: a second abort could abort what the first one started (the way back)
  'AbortEnvironmentUpdate'
])

/** What CreateEnvironment sends for a clone. */
export interface NewEnvironment {
  application: string
  name: string
  templateName: string
  cnamePrefix: string
  /** The version it starts with (the live one's), when there is one. */
  versionLabel?: string
  tags: Record<string, string>
  description?: string
}

export class EnvironmentLaunches {
  constructor(private readonly client: ElasticBeanstalkClient) {}

  /** CreateConfigurationTemplate from an environment: its platform version and option settings. */
  async saveTemplate(application: string, templateName: string, environmentId: string, description: string) {
    await this.client.send(
      new CreateConfigurationTemplateCommand({
        ApplicationName: application,
        TemplateName: templateName,
        EnvironmentId: environmentId,
        Description: description
      })
    )
  }

  async deleteTemplate(application: string, templateName: string): Promise<void> {
    await this.client.send(
      new DeleteConfigurationTemplateCommand({ ApplicationName: application, TemplateName: templateName })
    )
  }

  /** CheckDNSAvailability: whether `<prefix>.<region>.elasticbeanstalk.com` is free, and that host. */
  async cnameAvailable(prefix: string): Promise<{ available: boolean; host?: string }> {
    const out = await this.client.send(new CheckDNSAvailabilityCommand({ CNAMEPrefix: prefix }))
    return { available: out.Available === true, host: out.FullyQualifiedCNAME }
  }

  /** The environment's own tags (ListTagsForResource), without the ones AWS and Beanstalk set themselves. */
  async tags(environmentArn: string): Promise<Record<string, string>> {
    const out = await this.client.send(new ListTagsForResourceCommand({ ResourceArn: environmentArn }))
    return Object.fromEntries(
      (out.ResourceTags ?? [])
        .filter(t => t.Key && !/^(aws|elasticbeanstalk):/i.test(t.Key))
        .map(t => [t.Key ?? '', t.Value ?? ''])
    )
  }

  async create(spec: NewEnvironment): Promise<EnvironmentInfo> {
    const out = await this.client.send(
      new CreateEnvironmentCommand({
        ApplicationName: spec.application,
        EnvironmentName: spec.name,
        TemplateName: spec.templateName,
        CNAMEPrefix: spec.cnamePrefix,
        VersionLabel: spec.versionLabel,
        Description: spec.description,
        Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }))
      })
    )
    return toEnvironmentInfo(out)
  }
}
