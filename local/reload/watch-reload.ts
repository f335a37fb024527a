import type { LocalRuntime } from '../runtime.ts';
import type { AssemblySource, ReloadOutcome } from './reload-runtime.ts';
import { describeChanges, watchAssemblyManifest, watchProject, type SourceWatch } from './watch-sources.ts';

/**
 * Reloads the runtime on each settled edit of its sources: the CDK app's project folder (a
 * synthesizing run) or the assembly's manifest (`--assembly`). One reload runs at a time; edits
 * made meanwhile start one more when it ends. What a reload did, or why it was refused, is logged.
 */
export function watchOnReload(
  runtime: LocalRuntime,
  source: AssemblySource,
  options: { stateDir: string; log(line: string): void; onReload?: (outcome: ReloadOutcome, files: string[]) => void },
): SourceWatch {
  const { log } = options;
  let running = false;
  let queued: string[] = [];
  const root = source.kind === 'synthesize' ? source.projectDir : source.assemblyDir;

  async function reload(files: string[]): Promise<void> {
    if (running) {
      queued.push(...files);
      return;
    }
    running = true;
    try {
      log(`reloading: ${describeChanges(root, files)} changed`);
      const outcome = await runtime.reload();
      if (outcome.ok) {
        const replaced = outcome.replacedFunctions.length > 0 ? `; functions replaced: ${outcome.replacedFunctions.join(', ')}` : '';
        log(`reloaded in ${outcome.durationMs} ms${replaced}`);
      } else {
        log(`reload refused, the previous version keeps serving: ${outcome.message}`);
      }
      options.onReload?.(outcome, files);
    } catch (error) {
      log(`reload failed, the previous version keeps serving: ${(error as Error).stack ?? String(error)}`);
    } finally {
      running = false;
    }
    if (queued.length > 0) {
      const next = queued;
      queued = [];
      await reload(next);
    }
  }

  const onChange = (files: string[]) => void reload(files);
  const watch =
    source.kind === 'synthesize'
      ? watchProject(source.projectDir, { ignore: [options.stateDir, source.outDir], onChange })
      : watchAssemblyManifest(source.assemblyDir, { onChange });
  log(`watching ${root} for changes`);
  return watch;
}
