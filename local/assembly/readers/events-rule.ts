import { scheduleRuleModel } from '../../schedules/rule-model.ts';
import type { ResourceReader } from './types.ts';

/** EventBridge rules, which local/schedules/ runs when they are scheduled. */
export const eventsRuleReader: ResourceReader = {
  type: 'AWS::Events::Rule',
  read(stack, logicalId, model) {
    model.scheduleRules.push(scheduleRuleModel(stack.stackName, logicalId, stack.ref(logicalId), stack.identity(logicalId, logicalId).attributes.Arn!, stack.propsOf(logicalId)));
  },
};
