// Refresh tokens and the activity log's key sealed by the OS keychain (Windows DPAPI, macOS Keychain,
// libsecret/kwallet on Linux) through safeStorage, kept in the desk's 0600 keychain file. Where the OS
// offers no secret store, safeStorage would fall back to a hard-coded key; then the file's permissions
// alone protect them, as in the browser host, and the log says so.
import { safeStorage } from 'electron';
import type { SecretCodec } from '../auth/keychain.ts';
import type { Logger } from '../../common/logger.ts';

/** Call after app `ready`: safeStorage is unavailable before. */
export function safeStorageCodec(log: Logger): SecretCodec | undefined {
  if (!safeStorage.isEncryptionAvailable() || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')) {
    log.warn('electron: no OS secret store; refresh tokens and the audit key are protected by file permissions only');
    return undefined;
  }
  return {
    seal: (value) => safeStorage.encryptString(value).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
