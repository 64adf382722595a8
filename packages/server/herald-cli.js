#!/usr/bin/env node
// The `herald` command. It is a plain file that exists before anything is
// built, so that `npm install` can link it; it runs the compiled CLI, or
// says how to build it when run from a fresh clone.
import { existsSync } from 'node:fs';

const built = new URL('./dist/bin/herald.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'herald: the CLI is not built yet. In the Herald repository run `npm start` (builds, then serves) or `npm run build`, then try again.\n',
  );
  process.exit(1);
}
await import(built.href);
