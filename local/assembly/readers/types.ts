import type { AppModel } from '../model.ts';
import type { StackScope } from '../stack-scope.ts';

/** Turns each resource of one CloudFormation type into its part of the model. */
export interface ResourceReader {
  type: string;
  /** Types read only as parts of this type's resources (a role's attached policies, an API's resolvers). */
  parts?: readonly string[];
  read(stack: StackScope, logicalId: string, model: AppModel): void;
}
