import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';

/** What the generator needs from a pnpm-workspace.yaml: the package globs and the catalog. */
export interface WorkspaceManifest {
  packages: string[];
  catalog: Record<string, string>;
}

/** Reads `<root>/pnpm-workspace.yaml` with a YAML parser; an absent file is an empty workspace. */
export function readWorkspace(root: string): WorkspaceManifest {
  const file = join(root, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return { packages: [], catalog: {} };
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { packages?: unknown; catalog?: unknown };
  const packages = Array.isArray(doc.packages)
    ? doc.packages.filter((glob): glob is string => typeof glob === 'string')
    : [];
  const catalog =
    typeof doc.catalog === 'object' && doc.catalog !== null
      ? Object.fromEntries(
          Object.entries(doc.catalog).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        )
      : {};
  return { packages, catalog };
}

/** `dir` (relative to the root, forward slashes) is a package folder of the workspace: matched by an include glob, by no `!` exclude. */
export function matchesWorkspace(globs: readonly string[], dir: string): boolean {
  const normal = dir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (normal === '' || isAbsolute(normal)) return false;
  const include = globs.filter((glob) => !glob.startsWith('!'));
  const exclude = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
  const matches = (list: string[]) => list.length > 0 && picomatch(list, { dot: false })(normal);
  return matches(include) && !matches(exclude);
}
