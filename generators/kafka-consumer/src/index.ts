export type { NodePlopAPI as PlopApi } from 'node-plop';
export { runCli } from './cli.js';
export { registerGenerators } from './generator.js';
export { ADD_GENERATOR, SERVICE_GENERATOR } from './generators.js';
export { type Answers, checkField, FIELDS, resolveAnswers } from './schema.js';
