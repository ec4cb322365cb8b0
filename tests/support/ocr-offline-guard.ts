// Test-only preload (`node --require`, which, unlike --import, also runs in every worker thread):
// refuses any network access (http, https, net, tls, dns, fetch) and records the attempt, so a test
// can prove that OCR never reaches for a CDN. Each thread it arms writes "armed <thread>" to the log.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { isMainThread, threadId } from 'node:worker_threads';

const logPath = process.env.LOKET_NETWORK_LOG;
if (logPath === undefined || logPath === '') throw new Error('ocr-offline-guard needs LOKET_NETWORK_LOG');
const record = (line: string) => appendFileSync(logPath, `${line}\n`);
record(`armed ${isMainThread ? 'main' : 'worker'} ${threadId}`);

function describeTarget(target: unknown): string {
  if (typeof target === 'string') return target;
  if (target instanceof URL) return target.href;
  if (target !== null && typeof target === 'object') {
    const t = target as { href?: unknown; host?: unknown; hostname?: unknown; path?: unknown };
    return String(t.href ?? t.host ?? t.hostname ?? t.path ?? JSON.stringify(target));
  }
  return String(target);
}

function refuse(what: string): (target?: unknown) => never {
  return (target) => {
    record(`ATTEMPT ${what} ${describeTarget(target)} (thread ${threadId})`);
    throw new Error(`network access refused by the offline test guard: ${what}`);
  };
}

const patch = (obj: object, key: string, what: string) => Object.defineProperty(obj, key, { value: refuse(what), configurable: true, writable: true });
patch(http, 'request', 'http.request');
patch(http, 'get', 'http.get');
patch(https, 'request', 'https.request');
patch(https, 'get', 'https.get');
patch(net, 'connect', 'net.connect');
patch(net, 'createConnection', 'net.createConnection');
patch(net.Socket.prototype, 'connect', 'net.Socket.connect');
patch(tls, 'connect', 'tls.connect');
patch(dns, 'lookup', 'dns.lookup');
patch(dns, 'resolve', 'dns.resolve');
patch(dns.promises, 'lookup', 'dns.promises.lookup');
patch(globalThis, 'fetch', 'fetch');
