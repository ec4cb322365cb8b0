// Where the PKCS#11 modules of the tokens Indonesian signing officials meet are installed, per OS,
// so the settings screen can offer the ones present instead of asking for a path. The person can
// still type any path; these are the vendors' default install locations.
import { existsSync } from 'node:fs';

export interface KnownModule {
  /** What the person recognises: the token brand or the middleware's name. */
  name: string;
  paths: Partial<Record<NodeJS.Platform, string[]>>;
}

export const knownModules: KnownModule[] = [
  {
    name: 'SafeNet eToken / Thales (SafeNet Authentication Client)',
    paths: {
      linux: ['/usr/lib/libeTPkcs11.so', '/usr/lib64/libeTPkcs11.so', '/usr/lib/libIDPrimePKCS11.so'],
      darwin: ['/usr/local/lib/libeTPkcs11.dylib', '/usr/local/lib/libIDPrimePKCS11.dylib'],
      win32: ['C:\\Windows\\System32\\eTPKCS11.dll', 'C:\\Windows\\System32\\IDPrimePKCS11.dll'],
    },
  },
  {
    name: 'Feitian ePass2003 / ePass3003',
    paths: {
      linux: ['/usr/lib/libcastle.so.1.0.0', '/usr/local/lib/libcastle.so.1.0.0', '/usr/lib/libShuttleCsp11_3003.so'],
      darwin: ['/usr/local/lib/libcastle.1.0.0.dylib'],
      win32: ['C:\\Windows\\System32\\eps2003csp11.dll', 'C:\\Windows\\System32\\ShuttleCsp11_3003.dll'],
    },
  },
  {
    name: 'OpenSC (kartu cerdas dan token umum)',
    paths: {
      linux: ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so', '/usr/lib64/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'],
      darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so'],
      win32: ['C:\\Windows\\System32\\opensc-pkcs11.dll', 'C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
    },
  },
  {
    name: 'SoftHSM2 (token perangkat lunak untuk uji coba)',
    paths: {
      linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'],
    },
  },
];

/** The known modules installed on this machine, first path found per module. */
export function installedModules(platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = existsSync): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  for (const m of knownModules) {
    const path = m.paths[platform]?.find(exists);
    if (path !== undefined) found.push({ name: m.name, path });
  }
  return found;
}
