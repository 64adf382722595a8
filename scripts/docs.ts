// `npm run docs`: rewrites the generated reference pages.
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../packages/server/src/config/config-reference.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
console.log('wrote docs/configuration.md');
