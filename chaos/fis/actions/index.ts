import { cloudwatchAssertAlarmState } from './cloudwatch-assert-alarm-state.action';
import { ec2AsgInsufficientInstanceCapacityError } from './ec2-asg-insufficient-instance-capacity-error.action';
import { ec2RebootInstances } from './ec2-reboot-instances.action';
import { ec2SendSpotInstanceInterruptions } from './ec2-send-spot-instance-interruptions.action';
import { ec2StopInstances } from './ec2-stop-instances.action';
import { ec2TerminateInstances } from './ec2-terminate-instances.action';
import type { FisAction } from './fis-action';
import { injectApiInternalError } from './fis-inject-api-internal-error.action';
import { injectApiThrottleError } from './fis-inject-api-throttle-error.action';
import { injectApiUnavailableError } from './fis-inject-api-unavailable-error.action';
import { fisWait } from './fis-wait.action';
import { localApiAmbiguous } from './local-api-ambiguous.action';
import { localApiExactFault } from './local-api-exact-fault.action';
import { localProcessCrashAt } from './local-process-crash-at.action';
import { localToxiproxyToxic } from './local-toxiproxy-toxic.action';
import { networkDisruptConnectivity } from './network-disrupt-connectivity.action';
import { ssmSendCommand } from './ssm-send-command.action';

/** Every action the simulator knows, by id; adding an action is adding a file and a line here. */
export const FIS_ACTIONS: ReadonlyMap<string, FisAction> = new Map(
  [
    ec2TerminateInstances,
    ec2StopInstances,
    ec2RebootInstances,
    ec2SendSpotInstanceInterruptions,
    ec2AsgInsufficientInstanceCapacityError,
    cloudwatchAssertAlarmState,
    ssmSendCommand,
    injectApiInternalError,
    injectApiUnavailableError,
    injectApiThrottleError,
    fisWait,
    networkDisruptConnectivity,
    localToxiproxyToxic,
    localApiAmbiguous,
    localProcessCrashAt,
    localApiExactFault,
  ].map((action) => [action.id, action]),
);

export type { FisAction, ActionContext, ParameterSpec } from './fis-action';
