// Which addresses a webhook may reach: global unicast only, IPv4-mapped IPv6 seen through.
import { describe, expect, it } from 'vitest';
import { assertPublicUrl, nonPublicRange } from '../../src-main/core/api-keys/webhook-address';

describe('webhook address check', () => {
  it('lets public addresses through and names the range of the others', () => {
    expect(nonPublicRange('93.184.216.34')).toBeNull();
    expect(nonPublicRange('2606:4700:4700::1111')).toBeNull();
    expect(nonPublicRange('127.0.0.1')).toBe('loopback');
    expect(nonPublicRange('::1')).toBe('loopback');
    expect(nonPublicRange('::ffff:10.0.0.1')).toBe('private');
    expect(nonPublicRange('172.16.5.4')).toBe('private');
    expect(nonPublicRange('169.254.169.254')).toBe('linkLocal');
    expect(nonPublicRange('fe80::1')).toBe('linkLocal');
    expect(nonPublicRange('fd00::1')).toBe('uniqueLocal');
    expect(nonPublicRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(nonPublicRange('0.0.0.0')).toBe('unspecified');
    expect(nonPublicRange('not an address')).toBe('invalid');
  });

  it('checks address literals in URLs without a lookup, and allows them when told', async () => {
    await expect(assertPublicUrl('http://93.184.216.34/hooks', false)).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://[fd00::1]:8080/hooks', false)).rejects.toThrow(
      'fd00::1 (uniqueLocal), not a public address',
    );
    await expect(assertPublicUrl('http://127.0.0.1/hooks', true)).resolves.toBeUndefined();
  });
});
