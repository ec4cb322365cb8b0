// A Signer backed by a key on a USB token held by the device worker: main assembles the PAdES
// signature, and only the signed attributes travel to the worker to be signed on the token.
import type { DeviceWorkerHost } from '../../devices/host.ts';
import type { KeySigner } from '../../../common/signer.ts';

export async function deviceTokenSigner(
  host: Pick<DeviceWorkerHost, 'request'>,
  params: { sessionId: string; certificateId: string; pin?: string },
): Promise<KeySigner> {
  const { signerId, certificateChain, algorithm } = await host.request('token.signer', params);
  return {
    certificateChain,
    algorithm,
    sign: async (data) => (await host.request('token.sign', { signerId, data })).signature,
  };
}
