// Public API of the law registry: verified constants, unverified correctable data, and the table.
export { LAW_RULES, type LawRule, lawRule, type Verification } from './law-rules.ts';
export { renderRulesTable } from './rules-table.ts';
export * from './unverified.ts';
export * from './verified.ts';
