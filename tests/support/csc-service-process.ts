// The CSC v2 test service (csc-service.ts) in a process of its own, as a real service runs apart
// from the desk: the signing benchmark uses it so that the desk's process does only the desk's work
// (its CPU time and pauses are not shared with the service's TLS, JSON and HSM signatures). The
// parent drives it over the IPC channel: latency, the time spent inside the service, the current
// OTP, stop.
import { fork, type ChildProcess } from 'node:child_process';
import type { TestToken } from './softhsm.ts';
import { startCscTestService, type CscTestService } from './csc-service.ts';
import type { TestTls } from './tls.ts';

type Command = { id: number; op: 'otp' | 'serviceMs' | 'resetServiceMs' | 'stop' } | { id: number; op: 'setLatency'; ms: number };

export interface CscServiceProcess {
  url: string;
  clientId: string;
  clientSecret: string;
  user: CscTestService['user'];
  credentials: CscTestService['credentials'];
  otp(): Promise<string>;
  setLatency(ms: number): Promise<void>;
  serviceMs(): Promise<number>;
  resetServiceMs(): Promise<void>;
  stop(): Promise<void>;
}

/** What the child needs of the test token: its data, without the parent's functions. */
function tokenData(token: TestToken) {
  const key = (k: TestToken['keys']['rsa']) => ({ id: k.id, label: k.label, certificate: { der: k.certificate.der } });
  return {
    conf: token.conf, module: token.module, serial: token.serial, pin: token.pin,
    ca: { certDer: token.ca.certDer },
    keys: { rsa: key(token.keys.rsa), ec: key(token.keys.ec), expired: key(token.keys.expired), noSigning: key(token.keys.noSigning) },
  };
}

export async function startCscServiceProcess(token: TestToken, tls: TestTls): Promise<CscServiceProcess> {
  const child: ChildProcess = fork(import.meta.filename, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, (value: unknown) => void>();
  const ready = new Promise<Omit<CscServiceProcess, 'otp' | 'setLatency' | 'serviceMs' | 'resetServiceMs' | 'stop'>>((resolve, reject) => {
    child.once('message', (info) => resolve(info as never));
    child.once('exit', (code) => reject(new Error(`the CSC test service exited (${code}) before it was ready`)));
  });
  child.send({ token: tokenData(token), tls });
  const info = await ready;
  child.on('message', (reply) => {
    const { id, result } = reply as { id: number; result: unknown };
    pending.get(id)?.(result);
    pending.delete(id);
  });
  const ask = <T>(command: Omit<Command, 'id'>) => new Promise<T>((resolve) => {
    const id = next++;
    pending.set(id, resolve as (value: unknown) => void);
    child.send({ ...command, id });
  });
  return {
    ...info,
    otp: () => ask<string>({ op: 'otp' }),
    setLatency: (ms) => ask<void>({ op: 'setLatency', ms } as Omit<Command, 'id'>),
    serviceMs: () => ask<number>({ op: 'serviceMs' }),
    resetServiceMs: () => ask<void>({ op: 'resetServiceMs' }),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask<void>({ op: 'stop' });
      await exited;
    },
  };
}

if (import.meta.main) {
  process.once('message', (start) => {
    const { token, tls } = start as { token: TestToken; tls: TestTls };
    void startCscTestService(token, tls).then((rig) => {
      process.send!({ url: rig.url, clientId: rig.clientId, clientSecret: rig.clientSecret, user: rig.user, credentials: rig.credentials });
      process.on('message', (message) => {
        const command = message as Command;
        const answer = (result: unknown) => process.send!({ id: command.id, result });
        if (command.op === 'otp') answer(rig.otp());
        else if (command.op === 'serviceMs') answer(rig.serviceMs());
        else if (command.op === 'resetServiceMs') answer(rig.resetServiceMs());
        else if (command.op === 'setLatency') answer(rig.setLatency(command.ms));
        else void rig.stop().then(() => { answer(null); process.disconnect(); });
      });
    });
  });
}
