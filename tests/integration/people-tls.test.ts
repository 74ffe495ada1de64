// Sign-in over TLS: the server speaks HTTPS with the station's certificate and the session cookie
// is marked Secure, so a browser never sends it over plain HTTP.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src-main/core/http/http-server';
import { startServedCore, type ServedCore } from '../helpers/served-core';
import { TEST_ADMIN } from '../helpers/sign-in';
import { makeTempDir } from '../helpers/temp-dir';

/** POSTs JSON over HTTPS, trusting only the test's own certificate. */
function post(
  url: string,
  body: unknown,
  ca: Buffer,
): Promise<{ status: number; cookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, ca },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('sign-in over TLS', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let server: RunningServer;
  let cert: Buffer;

  beforeAll(async () => {
    dir = makeTempDir();
    const key = join(dir.path, 'key.pem');
    const crt = join(dir.path, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(crt);
    served = await startServedCore(dir.path, { tls: { key: readFileSync(key), cert } });
    server = served.server;
  });
  afterAll(async () => {
    await served.close();
    dir.remove();
  });

  it('serves HTTPS and marks the session cookie Secure, HttpOnly and SameSite=Strict', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const answer = await post(
      new URL('/api/auth/sign-in', server.url).toString(),
      TEST_ADMIN,
      cert,
    );
    expect(answer.status).toBe(200);
    const attributes = (answer.cookie ?? '').split('; ');
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']),
    );
  });
});
