// Tanda tangan yang ditolak server: letters signed at this desk whose signature the server refused,
// each with the server's reason and, for a letter the official will not stand by (a draft someone
// else signed first, a signature outside their authority), Batalkan surat ini: voided with a reason
// they write, its number kept in the outgoing book as batal and its QR page saying it is not valid.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RefusedSignatureView } from '../../../../common/ipc/sign.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { VoidForm } from '../../ui/VoidForm.tsx';

function VoidLetter({ refused, onDone }: { refused: RefusedSignatureView; onDone(voided: boolean): void }) {
  const { t } = useTranslation();
  const bridge = useBridge();
  return (
    <VoidForm
      id="void" formTestId={`void-${refused.letterId}`} className="tt-void" explain={t('tandaTangan.refused.void.explain')}
      labels={{ reason: t('tandaTangan.refused.void.reason'), confirm: t('tandaTangan.refused.void.confirm'), keep: t('tandaTangan.refused.void.keep') }}
      initialReason={t('tandaTangan.refused.void.suggested', { reason: refused.reason }).slice(0, 500)}
      onVoid={async (reason) => { const result = await bridge.invoke('sign.void', { letterId: refused.letterId, reason }); return result.ok ? null : result.error; }}
      onDone={onDone}
    />
  );
}

export function RefusedSignatures() {
  const { t } = useTranslation();
  const refused = useLive('sign.refused', 'sync.changed');
  const [voiding, setVoiding] = useState<string | null>(null);
  if ((refused.value?.length ?? 0) === 0) return null;
  return (
    <section className="panel" aria-labelledby="tt-refused" data-testid="refused-signatures">
      <h2 id="tt-refused">{t('tandaTangan.refused.title')}</h2>
      <p className="status-hint">{t('tandaTangan.refused.hint')}</p>
      <ul className="tt-letters">
        {refused.value!.map((r) => (
          <li key={r.letterId} className="tt-letter" data-testid={`refused-${r.letterId}`}>
            <span>
              <strong>{r.subject}</strong>
              {r.letterNumber && <span className="status-hint"> — {t('tandaTangan.refused.number', { number: r.letterNumber })}</span>}
            </span>
            {r.draftId && <a className="tt-letter-trail" href={`#/beranda/paraf/${r.draftId}`}>{t('tandaTangan.letters.trail')}</a>}
            <p className="notice notice-error tt-letter-refusal" role="alert" data-code={r.code}>{t('tandaTangan.refused.reason')} {r.reason}</p>
            {voiding === r.letterId
              ? <VoidLetter refused={r} onDone={(voided) => { setVoiding(null); if (voided) refused.reload(); }} />
              : <button type="button" className="button-secondary tt-void-open" onClick={() => setVoiding(r.letterId)} data-testid="void-open">{t('tandaTangan.refused.void.open')}</button>}
          </li>
        ))}
      </ul>
    </section>
  );
}
