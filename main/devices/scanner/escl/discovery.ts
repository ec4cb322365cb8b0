// Finding eSCL scanners on the local network by multicast DNS (DNS-SD): the PTR records of
// `_uscan._tcp.local` (HTTP) and `_uscans._tcp.local` (HTTPS) name each scanner's service, its SRV
// record gives host and port, its TXT record the resource path (`rs`), model (`ty`) and UUID, and
// the host's A/AAAA record the address. Answers arrive in any order and in several packets, so
// records are gathered over a short window and what is missing is asked for again.
import type { RemoteInfo } from 'node:dgram';
import makeMdns from 'multicast-dns';

const services = { '_uscan._tcp.local': 'http', '_uscans._tcp.local': 'https' } as const;
type ServiceType = keyof typeof services;

export interface DiscoveredScanner {
  /** The scanner's eSCL root (`https://192.168.1.20:443/eSCL`). */
  url: string;
  /** The service instance name, which the device lets its owner set ("Scanner Lantai 2"). */
  instance: string;
  /** TXT `ty`: make and model. */
  model: string | null;
  /** TXT `UUID`, lower case: the same device announced over HTTP and HTTPS has one. */
  uuid: string | null;
  address: string;
}

export interface Discovery {
  /** Asks the network and answers what was announced within `windowMs`. */
  browse(windowMs: number): Promise<DiscoveredScanner[]>;
  close(): void;
}

interface Srv {
  target: string;
  port: number;
}

type MdnsAnswer = { name: string; type: string; ttl?: number; data: unknown };

const lower = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** TXT strings (`key=value`, as Buffers or strings) as a map with lower-case keys. */
function txtMap(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    const text = Buffer.isBuffer(item) ? item.toString('utf8') : typeof item === 'string' ? item : '';
    const eq = text.indexOf('=');
    if (eq > 0) out[text.slice(0, eq).toLowerCase()] = text.slice(eq + 1);
  }
  return out;
}

/** The instance label of `Scanner Lantai 2._uscan._tcp.local` (DNS-SD escapes dots in it). */
function instanceLabel(instance: string, type: string): string {
  return instance.slice(0, instance.length - type.length - 1).replace(/\\(\d{3})/g, (_, d: string) => String.fromCharCode(Number(d))).replace(/\\(.)/g, '$1');
}

export function mdnsDiscovery(options: { log?: (message: string, fields: Record<string, unknown>) => void } = {}): Discovery {
  let mdns: ReturnType<typeof makeMdns> | undefined;
  const instances = new Map<string, { type: ServiceType; name: string }>();
  const srv = new Map<string, Srv>();
  const txt = new Map<string, Record<string, string>>();
  const addresses = new Map<string, { v4?: string; v6?: string }>();

  function remember(record: MdnsAnswer): void {
    const name = lower(record.name);
    const gone = record.ttl === 0;
    if (record.type === 'PTR' && name in services && typeof record.data === 'string') {
      const instance = lower(record.data);
      if (gone) instances.delete(instance);
      else instances.set(instance, { type: name as ServiceType, name: record.data.replace(/\.$/, '') });
    } else if (record.type === 'SRV') {
      const data = record.data as { target?: string; port?: number };
      if (gone) srv.delete(name);
      else if (typeof data.target === 'string' && typeof data.port === 'number') srv.set(name, { target: lower(data.target), port: data.port });
    } else if (record.type === 'TXT') {
      if (gone) txt.delete(name);
      else txt.set(name, txtMap(record.data));
    } else if ((record.type === 'A' || record.type === 'AAAA') && typeof record.data === 'string') {
      const known = addresses.get(name) ?? {};
      if (record.type === 'A') known.v4 = gone ? undefined : record.data;
      else known.v6 = gone ? undefined : record.data;
      addresses.set(name, known);
    }
  }

  function socket(): ReturnType<typeof makeMdns> {
    if (mdns !== undefined) return mdns;
    const created = makeMdns();
    created.on('response', (packet: { answers?: MdnsAnswer[]; additionals?: MdnsAnswer[] }, _from: RemoteInfo) => {
      for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) remember(record);
    });
    // No multicast on this network (or port 5353 refused): discovery finds nothing, manual addresses still work.
    created.on('error', (err: Error) => options.log?.('mDNS discovery unavailable', { err }));
    created.on('warning', (err: Error) => options.log?.('mDNS warning', { err }));
    mdns = created;
    return created;
  }

  function ask(questions: { name: string; type: 'PTR' | 'SRV' | 'TXT' | 'A' | 'AAAA' }[]): void {
    if (questions.length > 0) socket().query({ questions });
  }

  function assemble(): DiscoveredScanner[] {
    const found: DiscoveredScanner[] = [];
    for (const [key, { type, name }] of instances) {
      const where = srv.get(key);
      const host = where === undefined ? undefined : addresses.get(where.target);
      const address = host?.v4 ?? host?.v6;
      if (where === undefined || address === undefined) continue;
      const record = txt.get(key) ?? {};
      const path = (record.rs ?? 'eSCL').replace(/^\/+|\/+$/g, '');
      const hostPart = address.includes(':') ? `[${address}]` : address;
      found.push({
        url: `${services[type]}://${hostPart}:${where.port}/${path}`,
        instance: instanceLabel(name, type),
        model: record.ty || null,
        uuid: record.uuid ? record.uuid.toLowerCase() : null,
        address,
      });
    }
    return found;
  }

  let browsing: Promise<DiscoveredScanner[]> | undefined;

  async function browse(windowMs: number): Promise<DiscoveredScanner[]> {
    // Every browse starts afresh: a scanner switched off since the last one is not reported from memory.
    for (const cache of [instances, srv, txt, addresses]) cache.clear();
    ask(Object.keys(services).map((name) => ({ name, type: 'PTR' as const })));
    // Halfway through, ask for what the answers so far left out (a responder may send the PTR alone).
    await new Promise((resolve) => setTimeout(resolve, windowMs / 2));
    const missing: { name: string; type: 'SRV' | 'TXT' | 'A' | 'AAAA' }[] = [];
    for (const [key, { name }] of instances) {
      if (!srv.has(key)) missing.push({ name, type: 'SRV' });
      if (!txt.has(key)) missing.push({ name, type: 'TXT' });
      const target = srv.get(key)?.target;
      if (target !== undefined && addresses.get(target)?.v4 === undefined && addresses.get(target)?.v6 === undefined) missing.push({ name: target, type: 'A' });
    }
    ask(missing);
    await new Promise((resolve) => setTimeout(resolve, windowMs / 2));
    return assemble();
  }

  return {
    browse(windowMs) {
      // Two lists at once share one browse.
      browsing ??= browse(windowMs).finally(() => {
        browsing = undefined;
      });
      return browsing;
    },
    close() {
      mdns?.destroy();
      mdns = undefined;
    },
  };
}
