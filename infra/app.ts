// The CDK app entry (cdk.json: `node infra/app.ts`). Node 24 runs the TypeScript directly.
import { createPricestreamApp } from './pricestream-app.ts';

createPricestreamApp().app.synth();
