import { watch, type FSWatcher } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';

export interface SourceWatch {
  close(): void;
}

/** Folders that are outputs, dependencies or state, never sources of a CDK app. */
export const IGNORED_FOLDERS = ['node_modules', 'cdk.out', '.local', '.git'];

/**
 * Watches a CDK app's project folder for edits (its stacks, resolvers, Lambda sources,
 * schema) and calls `onChange` once the edits have settled for `debounceMs`. The top folder
 * is watched as is and each of its sub-folders recursively, so that ignored trees such as
 * node_modules are never walked; `ignore` adds paths (e.g. a state folder inside the project).
 */
export function watchProject(projectDir: string, options: { ignore?: string[]; debounceMs?: number; onChange(files: string[]): void }): SourceWatch {
  const root = resolve(projectDir);
  const ignored = [...IGNORED_FOLDERS.map((name) => join(root, name)), ...(options.ignore ?? []).map((p) => resolve(p))];
  const isIgnored = (path: string) => ignored.some((folder) => path === folder || path.startsWith(folder + sep)) || basename(path).startsWith('.#');
  const changes = debounced(options.debounceMs ?? 150, options.onChange);
  const watchers = new Map<string, FSWatcher>();

  const watchFolder = (folder: string) => {
    if (watchers.has(folder) || isIgnored(folder)) return;
    try {
      const watcher = watch(folder, { recursive: true }, (_event, name) => {
        if (name !== null && !isIgnored(join(folder, name))) changes.add(join(folder, name));
      });
      watcher.on('error', () => watchers.delete(folder));
      watchers.set(folder, watcher);
    } catch {
      // Removed between listing and watching: nothing to watch.
    }
  };

  const top = watch(root, (_event, name) => {
    if (name === null) return;
    const path = join(root, name);
    if (isIgnored(path)) return;
    if (isFolder(path)) watchFolder(path);
    changes.add(path);
  });
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) watchFolder(join(root, entry.name));
  }
  return {
    close() {
      changes.cancel();
      top.close();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/**
 * Watches a cloud assembly for a new synthesis: its `manifest.json`, which the CDK writes last
 * (through a rename, so the folder is watched, not the file).
 */
export function watchAssemblyManifest(assemblyDir: string, options: { debounceMs?: number; onChange(files: string[]): void }): SourceWatch {
  const dir = resolve(assemblyDir);
  const changes = debounced(options.debounceMs ?? 150, options.onChange);
  const watcher = watch(dir, (_event, name) => {
    if (name === 'manifest.json') changes.add(join(dir, name));
  });
  return {
    close() {
      changes.cancel();
      watcher.close();
    },
  };
}

/** Paths relative to `root`, for log lines. */
export function describeChanges(root: string, files: string[]): string {
  const shown = files.slice(0, 5).map((file) => relative(root, file) || file);
  return `${shown.join(', ')}${files.length > shown.length ? ` and ${files.length - shown.length} more` : ''}`;
}

function debounced(quietMs: number, flush: (items: string[]) => void) {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return {
    add(item: string) {
      pending.add(item);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const items = [...pending];
        pending.clear();
        flush(items);
      }, quietMs);
    },
    cancel() {
      clearTimeout(timer);
      pending.clear();
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
