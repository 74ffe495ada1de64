import { describe, expect, it } from 'vitest';
import { PublicBaseUrl } from '../../src-shared/contract';
import { listeningBaseUrl } from '../../src-main/core/outputs/public-base-url';
import { parseRootList } from '../../src-main/core/library/allowed-roots';

const lan = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  eth0: [
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '192.168.1.5', family: 'IPv4', internal: false },
  ],
} as unknown as Parameters<typeof listeningBaseUrl>[1];

describe('the base URL of public outputs', () => {
  it('is the listening address, a LAN address standing in for every interface', () => {
    expect(listeningBaseUrl({ address: '127.0.0.1', family: 'IPv4', port: 8740 }, lan)).toBe(
      'http://127.0.0.1:8740',
    );
    expect(listeningBaseUrl({ address: '0.0.0.0', family: 'IPv4', port: 80 }, lan)).toBe(
      'http://192.168.1.5:80',
    );
    expect(listeningBaseUrl({ address: '::', family: 'IPv6', port: 9 }, {})).toBe(
      'http://127.0.0.1:9',
    );
    expect(listeningBaseUrl({ address: '::1', family: 'IPv6', port: 9 }, lan)).toBe(
      'http://[::1]:9',
    );
  });

  it('accepts only absolute http(s) URLs, kept without a trailing slash', () => {
    expect(PublicBaseUrl.parse(' https://tv.example.org/live/ ')).toBe(
      'https://tv.example.org/live',
    );
    expect(PublicBaseUrl.parse('http://10.0.0.2:8740')).toBe('http://10.0.0.2:8740');
    for (const bad of [
      '',
      '/relative',
      'tv.example.org',
      'ftp://tv.example.org',
      'file:///etc/passwd',
      'https://user:pass@tv.example.org',
      'https://tv.example.org/?key=1',
      'https://tv.example.org/#x',
    ]) {
      expect(PublicBaseUrl.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('AIRDECK_ALLOWED_ROOTS', () => {
  it('splits on the platform delimiter and drops empty entries', () => {
    expect(parseRootList('/srv/media::/home/ops/in ', ':')).toEqual(['/srv/media', '/home/ops/in']);
    expect(parseRootList('C:\\media;D:\\in', ';')).toEqual(['C:\\media', 'D:\\in']);
    expect(parseRootList(undefined)).toEqual([]);
  });
});
