import { AssetHashType, BundlingOutput, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-appsync';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOLVERS_DIR } from '../paths.ts';
import { bundleResolverCode } from './bundle-resolver.ts';

/**
 * A resolver's or pipeline function's code as an S3 asset (CodeS3Location in the template),
 * bundled locally by `bundleResolverCode`; the asset is hashed by its bundled output, so a change
 * in any imported helper makes a new asset. CDK bundles only directories, so the asset's source is
 * resolvers/ and the entry picks the file. The Docker image is never pulled: local bundling
 * either succeeds or fails the synthesis with esbuild's message.
 */
export function resolverCode(entry: string): Code {
  return Code.fromAsset(RESOLVERS_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      // Not run (local bundling); it makes each entry's bundling options, and so CDK's cache key, distinct.
      command: ['bundle-resolver', entry],
      outputType: BundlingOutput.SINGLE_FILE,
      local: {
        tryBundle(outputDir: string): boolean {
          writeFileSync(join(outputDir, 'code.js'), bundleResolverCode(entry));
          return true;
        },
      },
    },
  });
}
