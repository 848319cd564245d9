import { type PlopApi, registerGenerators } from './generators/kafka-consumer/src/index.js';

/** Registers the generators; nothing else lives here. */
export default function plopfile(plop: PlopApi): void {
  registerGenerators(plop);
}
