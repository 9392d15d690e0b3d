export * from './constants.js';
export * from './dockerConfig.js';
export * from './iam.js';
export * from './imageContext.js';
export * from './exampleApp.js';
export { writeFileAtomic } from './writeFile.js';
