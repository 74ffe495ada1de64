import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  externalUrl,
  isNavigationAllowed,
  isPermissionAllowed,
} from '../../src-main/electron/security-policy';

describe('isPermissionAllowed', () => {
  it('grants the short list to our own page only', () => {
    for (const permission of ALLOWED_PERMISSIONS) {
      expect(isPermissionAllowed(permission, 'app://airdeck/index.html')).toBe(true);
      expect(isPermissionAllowed(permission, 'app://airdeck')).toBe(true);
      expect(isPermissionAllowed(permission, 'https://evil.example/')).toBe(false);
      expect(isPermissionAllowed(permission, 'app://airdeck.evil/')).toBe(false);
      expect(isPermissionAllowed(permission, undefined)).toBe(false);
      expect(isPermissionAllowed(permission, '')).toBe(false);
    }
  });

  it.each([
    'media',
    'notifications',
    'geolocation',
    'openExternal',
    'clipboard-read',
    'display-capture',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'pointerLock',
    'unknown',
  ])('denies %s even to our own page', (permission) => {
    expect(isPermissionAllowed(permission, 'app://airdeck/index.html')).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it('allows our origin only', () => {
    expect(isNavigationAllowed('app://airdeck/index.html')).toBe(true);
    expect(isNavigationAllowed('app://airdeck/index.html#/settings')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8740/',
      'file:///etc/passwd',
      'app://airdeck.evil/',
      'app://airdeck@evil/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      'devtools://devtools/',
    ]) {
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });
});

describe('externalUrl', () => {
  it('passes http(s) URLs, normalised', () => {
    expect(externalUrl('https://airdeck.tv/docs')).toBe('https://airdeck.tv/docs');
    expect(externalUrl('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'smb://server/share',
    'ms-settings:privacy',
    'mailto:a@b.c',
    'app://airdeck/index.html',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'not a url',
    '',
    42,
    null,
    undefined,
    `https://example.com/${'a'.repeat(3000)}`,
  ])('refuses %j', (url) => {
    expect(externalUrl(url)).toBeNull();
  });
});
