export * from './value.js';
export * from './parse.js';
export * from './pointer.js';
export * from './stringify.js';
