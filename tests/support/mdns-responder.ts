// An mDNS (DNS-SD) responder announcing eSCL scanners the way network MFPs do: it answers a query
// for `_uscan._tcp.local` / `_uscans._tcp.local` with the service's PTR and, as additional records,
// its SRV (host and port), TXT (rs, ty, UUID, pdl, cs, is, duplex) and the host's A record; and
// answers SRV/TXT/A questions asked on their own. For the discovery tests, inside a network
// namespace where the loopback carries multicast.
import makeMdns from 'multicast-dns';

export interface AnnouncedScanner {
  instance: string;
  secure: boolean;
  host: string;
  address: string;
  port: number;
  model: string;
  uuid: string;
}

export function startMdnsResponder(scanners: AnnouncedScanner[]): { close(): void } {
  const mdns = makeMdns({ interface: '127.0.0.1', bind: '0.0.0.0' });
  const type = (s: AnnouncedScanner) => (s.secure ? '_uscans._tcp.local' : '_uscan._tcp.local');
  const full = (s: AnnouncedScanner) => `${s.instance}.${type(s)}`;
  const records = (s: AnnouncedScanner) => ({
    ptr: { name: type(s), type: 'PTR' as const, ttl: 4500, data: full(s) },
    srv: { name: full(s), type: 'SRV' as const, ttl: 120, data: { target: s.host, port: s.port, priority: 0, weight: 0 } },
    txt: { name: full(s), type: 'TXT' as const, ttl: 4500, data: ['txtvers=1', 'vers=2.63', 'rs=eSCL', `ty=${s.model}`, `UUID=${s.uuid}`, 'pdl=application/pdf,image/jpeg', 'cs=color,grayscale,binary', 'is=platen,adf', 'duplex=T'] },
    a: { name: s.host, type: 'A' as const, ttl: 120, data: s.address },
  });
  mdns.on('query', (query) => {
    for (const question of query.questions) {
      const name = question.name.toLowerCase();
      for (const s of scanners) {
        const r = records(s);
        if (question.type === 'PTR' && name === type(s).toLowerCase()) mdns.respond({ answers: [r.ptr], additionals: [r.srv, r.txt, r.a] });
        else if (question.type === 'SRV' && name === full(s).toLowerCase()) mdns.respond({ answers: [r.srv], additionals: [r.a] });
        else if (question.type === 'TXT' && name === full(s).toLowerCase()) mdns.respond({ answers: [r.txt] });
        else if (question.type === 'A' && name === s.host.toLowerCase()) mdns.respond({ answers: [r.a] });
      }
    }
  });
  return { close: () => mdns.destroy() };
}
