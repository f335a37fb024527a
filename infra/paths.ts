import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: infra/ reads the schema, resolvers and functions relative to it. */
export const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_FILE = join(PROJECT_ROOT, 'schema', 'schema.graphql');
export const RESOLVERS_DIR = join(PROJECT_ROOT, 'resolvers');
export const FUNCTIONS_DIR = join(PROJECT_ROOT, 'functions');
