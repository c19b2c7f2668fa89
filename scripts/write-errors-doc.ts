/** Writes docs/errors.md from the error catalogue (`npm run docs:errors`). */
import fs from 'node:fs';
import { renderErrorsDoc } from '../src/contract/errors-doc.js';

fs.writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
console.log('docs/errors.md written from src/contract/errors.ts');
