/** The eligibility engine (domain guide sections 6 and 8): pure, the date is a parameter, rules are data. */
export { assessEligibility, PROMOTION_INTERVAL_MONTHS } from './engine.js';
export { type EligibilityMessage, eligibilityMessage, type MessageOptions } from './messages.js';
export { ruleInForce, sanctionPeriodInForce } from './rules.js';
export { type AssessmentEffect, assessmentEffect, EXCELLENT_CREDIT_MONTHS } from './tenure.js';
export * from './types.js';
