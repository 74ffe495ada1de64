import { test as base } from './fixtures';
import { startTestS3, type TestS3 } from '../helpers/s3-server';

/**
 * `serve` takes S3 keys from the environment (see src-main/core/storage/credentials.ts), so the
 * keys never pass through the browser: s3rver's built-in account.
 */
export const S3RVER_ENV = {
  AIRDECK_S3_ACCESS_KEY_ID: 'S3RVER',
  AIRDECK_S3_SECRET_ACCESS_KEY: 'S3RVER',
};

/** The e2e test with `s3`: s3rver on a free port for one test, with an empty bucket. */
export function testWithS3(bucket: string) {
  return base.extend<{ s3: TestS3 }>({
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    s3: async ({}, use) => {
      const s3 = await startTestS3(bucket);
      try {
        await use(s3);
      } finally {
        await s3.stop();
      }
    },
  });
}
