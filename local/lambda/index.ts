export { startLambdaService } from './service.ts';
export type { InvocationRecord, LambdaInvokeResult, LambdaInvoker, LambdaService, LambdaServiceOptions } from './types.ts';
