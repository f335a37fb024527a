/** An AWS::Events::Rule of the assembly, its intrinsics resolved (local/assembly/model.ts reads it). */
export interface ScheduleRuleModel {
  stackName: string;
  logicalId: string;
  name: string;
  arn: string;
  /** Absent for a rule that matches an event pattern instead (nothing local sends it events). */
  scheduleExpression?: string;
  enabled: boolean;
  targets: RuleTargetModel[];
}

export interface RuleTargetModel {
  id: string;
  arn: string;
  /** The target's constant `Input` (JSON text), sent instead of the scheduled event. */
  input?: string;
  /** Why the target cannot be honoured locally (InputPath, InputTransformer), if it cannot. */
  unsupported?: string;
}

/** The model of one rule from its resolved properties. */
export function scheduleRuleModel(stackName: string, logicalId: string, name: string, arn: string, props: Record<string, unknown>): ScheduleRuleModel {
  const targets = ((props.Targets as Record<string, unknown>[] | undefined) ?? []).map((t): RuleTargetModel => {
    const unsupported = ['InputPath', 'InputTransformer'].filter((key) => t[key] !== undefined);
    return {
      id: String(t.Id),
      arn: String(t.Arn),
      ...(typeof t.Input === 'string' && { input: t.Input }),
      ...(unsupported.length > 0 && { unsupported: `its ${unsupported.join(' and ')} is not applied locally` }),
    };
  });
  return {
    stackName,
    logicalId,
    name,
    arn,
    ...(typeof props.ScheduleExpression === 'string' && { scheduleExpression: props.ScheduleExpression }),
    enabled: (props.State ?? 'ENABLED') === 'ENABLED',
    targets,
  };
}
