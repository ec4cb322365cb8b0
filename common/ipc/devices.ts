// The device worker (scanner and token drivers in their own process): its state, for Beranda and
// for the screens that need a device.
import { z } from 'zod';
import { defineContract, Empty } from './base.ts';

export const DeviceWorkerStatusSchema = z.object({
  state: z.enum(['starting', 'running', 'restarting', 'stopped']),
  restarts: z.number().int().nonnegative(),
  lastCrash: z.string().nullable(),
  /** Only when stopped: not started yet, closed by the app, or given up after repeated crashes. */
  reason: z.enum(['not-started', 'shutdown', 'crash-loop']).optional(),
});
export type DeviceWorkerStatus = z.infer<typeof DeviceWorkerStatusSchema>;
export const devices = defineContract({
  channels: {
    'devices.status': { request: Empty, reply: DeviceWorkerStatusSchema },
  },
  events: {
    'devices.changed': DeviceWorkerStatusSchema,
  },
  errors: {
    DEVICE_WORKER_CRASHED: {
      id: 'Proses perangkat (pemindai/token) berhenti mendadak dan sedang dijalankan ulang. Coba lagi sebentar lagi.',
      en: 'The device process (scanner/token) stopped unexpectedly and is being restarted. Try again in a moment.',
    },
    DEVICE_TIMEOUT: {
      id: 'Perangkat tidak menjawab tepat waktu. Periksa sambungan perangkat lalu coba lagi.',
      en: 'The device did not answer in time. Check its connection and try again.',
    },
    DEVICE_UNAVAILABLE: {
      id: 'Proses perangkat belum siap. Tunggu sebentar lalu coba lagi.',
      en: 'The device process is not ready yet. Wait a moment and try again.',
    },
  },
});
