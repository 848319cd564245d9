export type { NodePlopAPI as PlopApi } from 'node-plop';
export { runCli } from './cli.js';
export { ADD_GENERATOR, registerGenerators, SERVICE_GENERATOR } from './generator.js';
export { type Answers, checkField, FIELDS, resolveAnswers } from './schema.js';
