import { describe, expect, it } from 'vitest';
import {
  createKeychainSecretBox,
  type SafeStorageLike,
} from '../../src-main/electron/keychain-secret-box';

// Electron cannot run here: a reversible stand-in for the OS keychain.
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from(plain, 'utf8').reverse(),
    decryptString: (sealed) => Buffer.from(sealed).reverse().toString('utf8'),
  };
}

describe('keychain secret box', () => {
  it('seals through safeStorage when the OS has a keychain', () => {
    const box = createKeychainSecretBox(fakeSafeStorage(true))!;
    const sealed = box.encrypt('{"1":{"secretAccessKey":"s"}}');
    expect(sealed.toString('utf8')).not.toContain('secretAccessKey');
    expect(box.decrypt(sealed)).toBe('{"1":{"secretAccessKey":"s"}}');
  });

  it('declines without a real keychain, so the core falls back to the private file', () => {
    expect(createKeychainSecretBox(fakeSafeStorage(false))).toBeNull();
    expect(createKeychainSecretBox(fakeSafeStorage(true, 'basic_text'))).toBeNull();
  });
});
