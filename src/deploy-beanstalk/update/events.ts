/** Beanstalk events: one home, common/events.ts (swap-environments streams them too). */
export * from '../../common/events.js'
