// The desk's classification list (klasifikasi arsip) offered while a code is typed: a datalist the
// code input points at, filled from letters.classifications. Catat (incoming) and the import of an
// outgoing letter choose their code the same way.
import { useState } from 'react';
import type { ReplyOf } from '../../../../../common/ipc/index.ts';
import { useBridge } from '../../../bridge/hooks.ts';

type Classification = ReplyOf<'letters.classifications'>[number];

export function useClassificationCodes(): { codes: Classification[]; lookUp(typed: string): void } {
  const bridge = useBridge();
  const [codes, setCodes] = useState<Classification[]>([]);
  return {
    codes,
    lookUp(typed) {
      if (typed.trim() === '') return;
      void bridge.invoke('letters.classifications', { query: typed }).then((r) => { if (r.ok) setCodes(r.value); });
    },
  };
}

export function ClassificationCodeList({ id, codes }: { id: string; codes: readonly Classification[] }) {
  return <datalist id={id}>{codes.map((c) => <option key={c.code} value={c.code}>{`${c.code} — ${c.name}`}</option>)}</datalist>;
}
