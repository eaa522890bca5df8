import { describe, expect, it } from '@jest/globals'
import { classifyEvent } from '../../src/deploy-beanstalk/update/decide.js'
import {
  eventLevel,
  EventLog,
  formatEvent,
  type BeanstalkEvent
} from '../../src/deploy-beanstalk/update/events.js'

const ev = (seconds: number, message: string, severity = 'INFO'): BeanstalkEvent => ({
  date: new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)),
  message,
  severity
})

describe('event classification', () => {
  it.each([
    ['Failed to deploy application.', 'failed'],
    ['Failed to deploy configuration.', 'failed'],
    ['The environment was reverted to the previous configuration setting.', 'failed'],
    [
      'Update environment operation is complete, but with errors. For more information, see troubleshooting documentation.',
      'failed'
    ],
    ['Failed to launch environment.', 'failed'],
    ['Create environment operation is complete, but with errors', 'failed'],
    ['Environment update completed successfully.', 'completed'],
    ['Successfully deployed new configuration to environment.', 'completed'],
    ['Environment health has transitioned from Ok to Severe.', 'health'],
    ['Environment health has been set to RED', 'health'],
    ['Environment update is starting.', 'progress'],
    ["Instance deployment failed. For details, see 'eb-engine.log'.", 'progress']
  ])('%s → %s', (message, meaning) => {
    expect(classifyEvent(message)).toBe(meaning)
  })
  it('maps severities to annotation levels', () => {
    expect(eventLevel('ERROR')).toBe('error')
    expect(eventLevel('FATAL')).toBe('error')
    expect(eventLevel('WARN')).toBe('warning')
    expect(eventLevel('INFO')).toBe('info')
    expect(eventLevel('DEBUG')).toBe('debug')
    expect(eventLevel('TRACE')).toBe('debug')
  })
  it('formats one line per event', () => {
    expect(formatEvent(ev(4, 'line one\n  line two', 'WARN'))).toBe('12:00:04 WARN  line one line two')
  })
})

describe('EventLog', () => {
  it('returns each event once, oldest first, across overlapping pages', () => {
    const log = new EventLog()
    expect(log.add([ev(2, 'b'), ev(1, 'a')]).map(e => e.message)).toEqual(['a', 'b'])
    expect(log.add([ev(3, 'c'), ev(2, 'b')]).map(e => e.message)).toEqual(['c'])
    expect(log.nextStart(new Date(0)).toISOString()).toBe('2026-01-01T12:00:03.000Z')
    log.add([ev(4, 'Failed to deploy application.', 'ERROR')])
    expect(log.all.map(e => e.message)).toEqual(['a', 'b', 'c', 'Failed to deploy application.'])
  })
  it('starts at the request time until events arrive', () => {
    const since = new Date(5000)
    expect(new EventLog().nextStart(since)).toBe(since)
  })
})
