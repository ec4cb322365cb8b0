// Network scanners at the desk, between Pindai, the store and the device worker: the addresses and
// pinned certificates the worker is given before it lists or scans, what a listing teaches the
// desk (scanners to remember, a first certificate to pin), and the admin's changes — an address
// entered by hand, a scanner forgotten, a changed certificate trusted after comparing it with the
// one the scanner's own screen shows.
import type { NetworkScanner, ScannerCertificate } from '../../common/ipc/scan.ts';
import { AppError } from '../../common/errors.ts';
import { hostOf, normaliseScannerUrl, originOf } from '../devices/scanner/escl/address.ts';
import type { ScannerProblem } from '../devices/scanner/service.ts';
import type { NetworkScannerSettings, Scanner } from '../devices/scanner/types.ts';
import type { Store } from '../store/store.ts';

/** The driver whose devices are network scanners named by their eSCL root. */
const esclPrefix = 'escl:';

/** The address the desk remembers a scanner by, from its device id; undefined for a scanner of another driver. */
export function networkUrlOf(deviceId: string): string | undefined {
  return deviceId.startsWith(esclPrefix) ? deviceId.slice(esclPrefix.length) : undefined;
}

export interface NetworkScannersDeps {
  store: Store;
  actor(): string;
  /** Whether the person here may change them: an office admin, or anyone on a desk without a server. */
  mayAdminister(): boolean;
}

export interface NetworkScanners {
  /** What the device worker is told before it lists or scans. */
  settings(): NetworkScannerSettings;
  /** Remembers what a listing found, pins first certificates, and keeps the certificates changed ones present now. */
  listed(scanners: readonly Scanner[], problems: readonly ScannerProblem[]): void;
  list(): { scanners: NetworkScanner[]; editable: boolean };
  add(input: { url: string; label?: string | undefined }): NetworkScanner;
  remove(url: string): { removed: boolean };
  trust(url: string, sha256: string): NetworkScanner;
}

export function createNetworkScanners(deps: NetworkScannersDeps): NetworkScanners {
  const { store } = deps;
  /** The certificate each scanner presented at the last listing when it was not the pinned one. */
  const presented = new Map<string, ScannerCertificate>();

  function requireAdmin(): void {
    if (!deps.mayAdminister()) throw new AppError('SCANNER_ADMIN_REQUIRED');
  }

  return {
    settings() {
      const scanners = store.networkScanners.list();
      return {
        known: scanners.map((s) => ({ url: s.url, label: s.label })),
        trusted: scanners.flatMap((s) => (s.certificate === null ? [] : [{ origin: originOf(s.url), sha256: s.certificate.sha256 }])),
      };
    },

    listed(scanners, problems) {
      const seen = scanners.flatMap((s) => {
        const url = networkUrlOf(s.id);
        return url === undefined ? [] : [{ url, name: s.label, address: s.address ?? hostOf(url), certificate: s.certificate ?? null }];
      });
      store.networkScanners.seen(seen, deps.actor());
      presented.clear();
      for (const problem of problems) {
        const url = problem.device === null ? undefined : networkUrlOf(problem.device.id);
        if (url !== undefined && problem.presented !== null) presented.set(url, problem.presented);
      }
    },

    list: () => ({ scanners: store.networkScanners.list(), editable: deps.mayAdminister() }),

    add(input) {
      requireAdmin();
      const url = normaliseScannerUrl(input.url);
      if (url === undefined) {
        const message = 'Alamat pemindai tidak dikenali. Tulis alamat IP atau nama pemindai, mis. 192.168.1.20, atau alamat lengkap seperti https://192.168.1.20/eSCL.';
        throw new AppError('VALIDATION', message, { issues: [{ path: ['url'], message }] });
      }
      const label = input.label === undefined || input.label === '' ? null : input.label;
      return store.networkScanners.add({ url, label, address: hostOf(url) }, deps.actor());
    },

    remove(url) {
      requireAdmin();
      presented.delete(url);
      return { removed: store.networkScanners.remove(url, deps.actor()) };
    },

    trust(url, sha256) {
      requireAdmin();
      const certificate = presented.get(url);
      // Only what the scanner itself presented can be trusted, never a fingerprint typed in.
      if (certificate === undefined || certificate.sha256 !== sha256) {
        throw new AppError('VALIDATION', 'Sertifikat pemindai ini sudah tidak sama dengan yang ditampilkan. Cari pemindai lagi, cocokkan sidik jarinya, lalu percayai lagi.', { url });
      }
      const trusted = store.networkScanners.trust(url, certificate, deps.actor());
      presented.delete(url);
      return trusted;
    },
  };
}
