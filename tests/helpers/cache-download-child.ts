// A separate Airdeck core process that downloads one object through the cache, for tests that
// kill it mid-download. Prints one JSON line per progress event, then {"done":…}.
// Usage: node child.cjs <dataDir> <locationId> <key>
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/logger';

const [dataDir, locationId, key] = process.argv.slice(2);
if (!dataDir || !locationId || !key) throw new Error('usage: <dataDir> <locationId> <key>');

// Bundled as CommonJS like the product's own bundles (dist/main/*.cjs), so packages that ship
// only CommonJS load exactly as they do in `serve`.
async function main(dataDir: string, locationId: string, key: string): Promise<void> {
  const core = await createCore({
    dataDir,
    mode: 'headless',
    version: 'test',
    logger: silentLogger,
  });
  core.bus.on('downloadProgress', (p) => {
    process.stdout.write(`${JSON.stringify({ progress: p.receivedBytes, state: p.state })}\n`);
  });
  try {
    const fetched = await core.cache.fetch(Number(locationId), key);
    process.stdout.write(`${JSON.stringify({ done: fetched.path, etag: fetched.entry.etag })}\n`);
  } finally {
    await core.close();
  }
}

void main(dataDir, locationId, key);
