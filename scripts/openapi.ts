// Writes the OpenAPI document of /api/v1 to docs/openapi/v1.json (`npm run openapi`). The file
// is committed: tests fail when the served document differs from it, or when a change breaks
// what it publishes (tests/integration/api-v1-openapi.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildOpenApiDocument } from '../src-main/core/http/api-v1/api-v1';

const file = resolve('docs/openapi/v1.json');
void buildOpenApiDocument().then((document) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
});
