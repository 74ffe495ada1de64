// S3 secrets in the desktop app are encrypted with a key the OS keeps (Keychain on macOS,
// DPAPI on Windows, libsecret/kwallet on Linux) through Electron's safeStorage. The core only
// sees the SecretBox interface, so it stays free of `electron` and is tested in plain Node.
import type { SecretBox } from '../core/storage/credentials';

/** The part of Electron's `safeStorage` this needs (typed here so tests can pass a double). */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
};

/**
 * Null when the OS offers no keychain (or only Linux's hard-coded "basic_text" key, which is
 * not protection): the core then keeps the 0600 credentials file, as `serve` does, and says so.
 */
export function createKeychainSecretBox(safeStorage: SafeStorageLike): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}
