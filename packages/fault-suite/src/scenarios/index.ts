import type { ScenarioDefinition } from '../scenario.js';
import { baseline } from './s01-baseline.js';
import { sigtermMidStream } from './s02-sigterm.js';
import { sigtermHungHandler } from './s03-hung-handler.js';
import { poisonMessage } from './s08-poison.js';
import { badPayloadsScenario } from './s11-bad-payloads.js';

/** Every scenario at full size, in issue order. */
export function ALL_SCENARIOS(): ScenarioDefinition[] {
  return [baseline(), sigtermMidStream(), sigtermHungHandler(), poisonMessage(), badPayloadsScenario()];
}
