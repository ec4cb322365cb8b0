// A network scanner as a process of its own, for tests that put it in a network namespace: the eSCL
// rig on 127.0.0.1 (over HTTP and, on a second port, HTTPS — one device, one UUID, announced both
// ways as MFPs do) and an mDNS responder announcing it. Prints one JSON line (its URLs, UUID and
// certificate) when ready; ends when its stdin closes.
//   ip netns exec <ns> node tests/support/escl-rig-service.ts '<instance name>' '<model>'
import { randomUUID } from 'node:crypto';
import { startEsclRig } from './escl-rig.ts';
import { startMdnsResponder } from './mdns-responder.ts';

const [instance = 'Pemindai Lantai 2', model = 'Kantor MFP 4100'] = process.argv.slice(2);
const uuid = randomUUID();
const plain = await startEsclRig({ makeAndModel: model, uuid, sheets: 3 });
const secure = await startEsclRig({ makeAndModel: model, uuid, sheets: 3, https: true });
const host = 'kantor-mfp.local';
const responder = startMdnsResponder([
  { instance, secure: false, host, address: '127.0.0.1', port: plain.port, model, uuid },
  { instance, secure: true, host, address: '127.0.0.1', port: secure.port, model, uuid },
]);
process.stdout.write(`${JSON.stringify({ http: plain.url, https: secure.url, uuid, sha256: secure.certificateSha256(), jobs: 0 })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  responder.close();
  void Promise.all([plain.close(), secure.close()]).then(() => process.exit(0));
});
