/** `ecr-universe validate`: every check of a Universe repository, as a library. */
export { RULES, ruleInfo, ruleSeverity, type RuleId, type RuleInfo, type RuleFamily } from './rules.js';
export { discover, PathError, type PackageTarget, type Discovery } from './discover.js';
export { validatePackage, dcosVersionsToCheck, type CheckSettings, type PackageReport } from './runner.js';
export { validatePaths, type ValidateSettings } from './validate.js';
export { validateRepository, type RunSettings } from './pool.js';
export { formatHuman, formatJson, summaryLine, type ValidationSummary } from './report.js';
