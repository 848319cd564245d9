import type { ScenarioDefinition } from '../scenario.js';
import { STRATEGIES } from '../types.js';
import { baseline } from './s01-baseline.js';
import { sigtermMidStream } from './s02-sigterm.js';
import { sigtermHungHandler } from './s03-hung-handler.js';
import { sigkillLoop } from './s04-sigkill.js';
import { rollingRestart } from './s05-rolling-restart.js';
import { joinLeave } from './s06-join-leave.js';
import { slowHandler } from './s07-slow-handler.js';
import { poisonMessage } from './s08-poison.js';
import { deadLetterUnavailable } from './s09-dlq-unavailable.js';
import { brokerOutage } from './s10-broker-outage.js';
import { badPayloadsScenario } from './s11-bad-payloads.js';
import { secondSignal } from './s12-second-signal.js';
import { clusterRollingRestart, coordinatorKill, leaderKill } from './s13-failover.js';
import { inboxSigkill } from './s16-inbox.js';
import { tieredRetrySigkill } from './s17-tiers.js';

/** Every scenario at full size, in issue order (scenario 10 twice: stop/restart and SIGSTOP; 13-15 on a three-node cluster; 16 with a PostgreSQL inbox; 17 with retry tiers). */
export function ALL_SCENARIOS(): ScenarioDefinition[] {
  return [
    baseline(),
    sigtermMidStream(),
    sigtermHungHandler(),
    sigkillLoop(),
    rollingRestart(),
    joinLeave(),
    slowHandler(),
    poisonMessage(20, STRATEGIES),
    deadLetterUnavailable(),
    brokerOutage('restart'),
    brokerOutage('sigstop'),
    badPayloadsScenario(STRATEGIES),
    secondSignal(),
    leaderKill(),
    coordinatorKill(),
    clusterRollingRestart(),
    inboxSigkill(),
    tieredRetrySigkill(),
  ];
}
