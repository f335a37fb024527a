import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { ASSET_RESOURCE_METADATA_ENABLED_CONTEXT } from 'aws-cdk-lib/cx-api';
import cdkNag from 'cdk-nag';
import { PricestreamStack } from './pricestream-stack.ts';

export const STACK_NAME = 'Pricestream';

/**
 * The CDK app: the Pricestream stack, checked by cdk-nag's AWS Solutions rules as a CDK policy
 * validation plugin: a finding that is not acknowledged with a reason (nag-suppressions.ts)
 * interrupts the synthesis with the report.
 */
export function createPricestreamApp(props: AppProps = {}): { app: App; stack: PricestreamStack } {
  // The SAM-style `aws:asset:path` metadata on each function, which the local runtime finds code
  // by. The CDK CLI turns it on; a synthesis that runs the app directly would not.
  const app = new App({ ...props, context: { [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true, ...props.context } });
  const stack = new PricestreamStack(app, STACK_NAME);
  // cdk-nag is CommonJS whose named exports Node cannot detect: take them from the default export.
  Validations.of(app).addPlugins(new cdkNag.AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
