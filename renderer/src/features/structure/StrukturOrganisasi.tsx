// Struktur Organisasi: the admin kantor's screen of the office's structure — the positions as a tree
// (add, rename, move under another, retire), who holds each with who held it before, the extra routes
// a disposition may take, and the office's list of disposition instructions. It shows the structure
// last read from the server, offline too; a change needs the server, and what was typed stays on the
// screen when it is refused or the server is away.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyOf, RequestOf } from '../../../../common/ipc/index.ts';
import { positionLevels, type StructurePosition, type StructureView } from '../../../../common/ipc/structure.ts';
import { useBridge, useLive } from '../../bridge/hooks.ts';
import { currentLanguage, errorText, formatDay, formatMoment } from '../../i18n/index.ts';

type Change = 'structure.position.create' | 'structure.position.update' | 'structure.position.retire' | 'structure.holder.assign' | 'structure.routes.save' | 'structure.instructions.save';

/** Sends one change; on success the screen shows the structure the server answers, on failure the reason (the caller keeps its inputs). */
function useChange(onView: (view: StructureView) => void) {
  const bridge = useBridge();
  const language = currentLanguage();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function send<C extends Change>(channel: C, payload: RequestOf<C>): Promise<boolean> {
    setBusy(true);
    const result = await bridge.invoke(channel, payload);
    setBusy(false);
    if (!result.ok) { setError(errorText(result.error, language)); return false; }
    setError(null);
    onView(result.value as ReplyOf<C>);
    return true;
  }
  return { send, error, busy, clear: () => setError(null) };
}

function ErrorNotice({ error, testId }: { error: string | null; testId: string }) {
  return error ? <p className="notice notice-error" role="alert" data-testid={testId}>{error}</p> : null;
}

/** Positions under `parentId`, each followed by its own subtree (the order the server keeps). */
function treeOf(positions: readonly StructurePosition[]): { position: StructurePosition; depth: number }[] {
  const ids = new Set(positions.map((p) => p.id));
  const children = new Map<string | null, StructurePosition[]>();
  for (const p of positions) {
    const parent = p.parentId !== null && ids.has(p.parentId) ? p.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out: { position: StructurePosition; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => { for (const p of children.get(parent) ?? []) { out.push({ position: p, depth }); walk(p.id, depth + 1); } };
  walk(null, 0);
  return out;
}

/** The position and every one below it: where it may not be moved under. */
function subtreeIds(positions: readonly StructurePosition[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grown = true; grown;) {
    grown = false;
    for (const p of positions) if (p.parentId !== null && out.has(p.parentId) && !out.has(p.id)) { out.add(p.id); grown = true; }
  }
  return out;
}

function PositionRow({ position, depth, view, onView }: { position: StructurePosition; depth: number; view: StructureView; onView(v: StructureView): void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [mode, setMode] = useState<'none' | 'edit' | 'holder' | 'retire'>('none');
  const [form, setForm] = useState({ title: position.title, level: position.level, parentId: position.parentId ?? '' });
  const [holder, setHolder] = useState(position.holder?.userId ?? '');
  const change = useChange(onView);
  const manage = view.canManage;
  const below = subtreeIds(view.positions, position.id);
  const open = (next: typeof mode) => { change.clear(); setMode(next); };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await change.send('structure.position.update', {
      positionId: position.id,
      ...(form.title !== position.title ? { title: form.title } : {}),
      ...(form.level !== position.level ? { level: form.level } : {}),
      ...((form.parentId || null) !== position.parentId ? { parentId: form.parentId || null } : {}),
    });
    if (ok) setMode('none');
  };
  const assign = async (e: FormEvent) => {
    e.preventDefault();
    if (await change.send('structure.holder.assign', { positionId: position.id, userId: holder || null })) setMode('none');
  };
  // Refused or not, the question is answered: the reason (if any) shows under the position.
  const retire = async () => { await change.send('structure.position.retire', { positionId: position.id }); setMode('none'); };

  return (
    <li className="st-position" style={{ marginLeft: `${depth * 1.5}rem` }} data-testid="structure-position" data-id={position.id} data-title={position.title}>
      <div className="st-position-head">
        <span className="st-title">{position.title}</span>
        <span className="muted"> · {t(`struktur.levels.${position.level}`)}</span>
        <span className="st-holder" data-testid="structure-holder">
          {position.holder ? position.holder.name : <em>{t('struktur.vacant')}</em>}
        </span>
        {manage && mode === 'none' && (
          <span className="st-actions">
            <button type="button" className="button-secondary" onClick={() => open('edit')} data-testid="structure-edit">{t('struktur.edit')}</button>
            <button type="button" className="button-secondary" onClick={() => open('holder')} data-testid="structure-assign">{t('struktur.assign')}</button>
            <button type="button" className="button-secondary" onClick={() => open('retire')} data-testid="structure-retire">{t('struktur.retire')}</button>
          </span>
        )}
      </div>
      {position.history.length > 0 && (
        <details className="st-history">
          <summary>{t('struktur.history', { count: position.history.length })}</summary>
          <ul data-testid="structure-history">
            {position.history.map((h, i) => (
              <li key={i}>
                {h.capacity === 'definitive' ? '' : `${h.capacity === 'plh' ? 'Plh.' : 'Plt.'} `}{h.name} — {formatDay(h.startsAt, language)} {t('struktur.until')} {h.endsAt ? formatDay(h.endsAt, language) : t('struktur.now')}
              </li>
            ))}
          </ul>
        </details>
      )}
      {mode === 'edit' && (
        <form className="st-inline delegation-grid" onSubmit={(e) => void save(e)} data-testid="structure-edit-form">
          <label>{t('struktur.title_')}<input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} data-testid="structure-edit-title" /></label>
          <label>{t('struktur.level')}
            <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value as typeof form.level })} data-testid="structure-edit-level">
              {positionLevels.map((l) => <option key={l} value={l}>{t(`struktur.levels.${l}`)}</option>)}
            </select>
          </label>
          <label>{t('struktur.parent')}
            <select value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })} data-testid="structure-edit-parent">
              <option value="">{t('struktur.noParent')}</option>
              {view.positions.map((p) => <option key={p.id} value={p.id} disabled={below.has(p.id)}>{p.title}</option>)}
            </select>
          </label>
          <span className="form-actions">
            <button type="submit" className="button-primary" disabled={change.busy} data-testid="structure-edit-save">{t('struktur.save')}</button>
            <button type="button" className="button-secondary" onClick={() => setMode('none')}>{t('struktur.cancel')}</button>
          </span>
        </form>
      )}
      {mode === 'holder' && (
        <form className="st-inline delegation-grid" onSubmit={(e) => void assign(e)} data-testid="structure-holder-form">
          <label>{t('struktur.holderLabel')}
            <select value={holder} onChange={(e) => setHolder(e.target.value)} data-testid="structure-holder-select">
              <option value="">{t('struktur.makeVacant')}</option>
              {view.people.map((p) => <option key={p.userId} value={p.userId}>{p.name} ({p.username})</option>)}
            </select>
          </label>
          <p className="field-hint">{t('struktur.holderHint')}</p>
          <span className="form-actions">
            <button type="submit" className="button-primary" disabled={change.busy} data-testid="structure-holder-save">{t('struktur.assignSave')}</button>
            <button type="button" className="button-secondary" onClick={() => setMode('none')}>{t('struktur.cancel')}</button>
          </span>
        </form>
      )}
      {mode === 'retire' && (
        <div className="st-inline">
          <p>{t('struktur.retireConfirm', { title: position.title })}</p>
          <span className="form-actions">
            <button type="button" className="button-primary" disabled={change.busy} onClick={() => void retire()} data-testid="structure-retire-confirm">{t('struktur.retireYes')}</button>
            <button type="button" className="button-secondary" onClick={() => setMode('none')}>{t('struktur.cancel')}</button>
          </span>
        </div>
      )}
      <ErrorNotice error={change.error} testId="structure-position-error" />
    </li>
  );
}

function NewPosition({ view, onView }: { view: StructureView; onView(v: StructureView): void }) {
  const { t } = useTranslation();
  const empty = { title: '', level: 'pelaksana' as StructurePosition['level'], parentId: '', unitId: '' };
  const [form, setForm] = useState(empty);
  const change = useChange(onView);
  const parentUnit = view.positions.find((p) => p.id === form.parentId)?.unitId ?? '';
  const unitId = form.unitId || parentUnit;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await change.send('structure.position.create', { title: form.title, level: form.level, parentId: form.parentId || null, unitId })) setForm(empty);
  };
  return (
    <form className="panel st-wide" onSubmit={(e) => void submit(e)} data-testid="structure-new" aria-labelledby="structure-new-title">
      <h2 id="structure-new-title">{t('struktur.new')}</h2>
      <div className="delegation-grid">
        <label>{t('struktur.title_')}<input value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} data-testid="structure-new-title" /></label>
        <label>{t('struktur.level')}
          <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value as typeof form.level })} data-testid="structure-new-level">
            {positionLevels.map((l) => <option key={l} value={l}>{t(`struktur.levels.${l}`)}</option>)}
          </select>
        </label>
        <label>{t('struktur.parent')}
          <select value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.target.value })} data-testid="structure-new-parent">
            <option value="">{t('struktur.noParent')}</option>
            {view.positions.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </label>
        <label>{t('struktur.unit')}
          <select value={unitId} onChange={(e) => setForm({ ...form, unitId: e.target.value })} data-testid="structure-new-unit">
            <option value="">{t('struktur.choose')}</option>
            {view.units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
      </div>
      <ErrorNotice error={change.error} testId="structure-new-error" />
      <button type="submit" className="button-primary" disabled={change.busy} data-testid="structure-new-save">{t('struktur.add')}</button>
    </form>
  );
}

function Routes({ view, onView }: { view: StructureView; onView(v: StructureView): void }) {
  const { t } = useTranslation();
  const [routes, setRoutes] = useState(view.routes);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const change = useChange((v) => { setRoutes(v.routes); onView(v); });
  const title = (id: string) => view.positions.find((p) => p.id === id)?.title ?? t('struktur.unknownPosition');
  const add = () => {
    if (!from || !to) { change.clear(); return; }
    if (!routes.some((r) => r.fromPositionId === from && r.toPositionId === to)) setRoutes([...routes, { fromPositionId: from, toPositionId: to }]);
    setTo('');
  };
  return (
    <section className="panel st-wide" aria-labelledby="structure-routes-title" data-testid="structure-routes">
      <h2 id="structure-routes-title">{t('struktur.routes')}</h2>
      <p className="field-hint">{t('struktur.routesHint')}</p>
      {routes.length === 0 ? <p className="muted">{t('struktur.noRoutes')}</p> : (
        <ul className="st-list">
          {routes.map((r) => (
            <li key={`${r.fromPositionId} ${r.toPositionId}`} data-testid="structure-route">
              {title(r.fromPositionId)} → {title(r.toPositionId)}{' '}
              {view.canManage && <button type="button" className="button-secondary" onClick={() => setRoutes(routes.filter((x) => x !== r))} aria-label={t('struktur.removeRoute', { from: title(r.fromPositionId), to: title(r.toPositionId) })}>{t('struktur.remove')}</button>}
            </li>
          ))}
        </ul>
      )}
      {view.canManage && (
        <>
          <div className="delegation-grid">
            <label>{t('struktur.routeFrom')}
              <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="structure-route-from">
                <option value="">{t('struktur.choose')}</option>
                {view.positions.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
              </select>
            </label>
            <label>{t('struktur.routeTo')}
              <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="structure-route-to">
                <option value="">{t('struktur.choose')}</option>
                {view.positions.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
              </select>
            </label>
          </div>
          <ErrorNotice error={change.error} testId="structure-routes-error" />
          <span className="form-actions">
            <button type="button" className="button-secondary" onClick={add} disabled={!from || !to} data-testid="structure-route-add">{t('struktur.addRoute')}</button>
            <button type="button" className="button-primary" disabled={change.busy} onClick={() => void change.send('structure.routes.save', { routes })} data-testid="structure-routes-save">{t('struktur.saveRoutes')}</button>
          </span>
        </>
      )}
    </section>
  );
}

function Instructions({ view, onView }: { view: StructureView; onView(v: StructureView): void }) {
  const { t } = useTranslation();
  const [list, setList] = useState(view.instructions);
  const change = useChange((v) => { setList(v.instructions); onView(v); });
  const move = (i: number, by: number) => {
    const next = [...list];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    setList(next);
  };
  return (
    <section className="panel st-wide" aria-labelledby="structure-instructions-title" data-testid="structure-instructions">
      <h2 id="structure-instructions-title">{t('struktur.instructions')}</h2>
      <p className="field-hint">{t('struktur.instructionsHint')}</p>
      <ol className="st-list">
        {list.map((text, i) => (
          <li key={i} data-testid="structure-instruction">
            {view.canManage ? (
              <span className="st-instruction">
                <input value={text} onChange={(e) => setList(list.map((x, j) => (j === i ? e.target.value : x)))} aria-label={t('struktur.instructionN', { n: i + 1 })} data-testid="structure-instruction-text" />
                <button type="button" className="button-secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('struktur.up', { text })}>↑</button>
                <button type="button" className="button-secondary" disabled={i === list.length - 1} onClick={() => move(i, 1)} aria-label={t('struktur.down', { text })}>↓</button>
                <button type="button" className="button-secondary" onClick={() => setList(list.filter((_, j) => j !== i))} aria-label={t('struktur.removeInstruction', { text })} data-testid="structure-instruction-remove">{t('struktur.remove')}</button>
              </span>
            ) : text}
          </li>
        ))}
      </ol>
      {view.canManage && (
        <>
          <ErrorNotice error={change.error} testId="structure-instructions-error" />
          <span className="form-actions">
            <button type="button" className="button-secondary" onClick={() => setList([...list, ''])} data-testid="structure-instruction-add">{t('struktur.addInstruction')}</button>
            <button type="button" className="button-secondary" onClick={() => setList(view.shippedInstructions)} data-testid="structure-instructions-defaults">{t('struktur.defaults')}</button>
            <button type="button" className="button-primary" disabled={change.busy} onClick={() => void change.send('structure.instructions.save', { instructions: list })} data-testid="structure-instructions-save">{t('struktur.saveInstructions')}</button>
          </span>
        </>
      )}
    </section>
  );
}

export function StrukturOrganisasi() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const language = currentLanguage();
  const live = useLive('structure.view', 'sync.changed');
  const [fresh, setFresh] = useState<StructureView | undefined>();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const view = live.value ?? fresh;
  const onView = (v: StructureView) => { setFresh(v); live.reload(); };
  const refresh = async () => {
    setRefreshing(true);
    const result = await bridge.invoke('structure.refresh', {});
    setRefreshing(false);
    if (result.ok) { setRefreshError(null); onView(result.value); } else setRefreshError(errorText(result.error, language));
  };
  // Opening the screen reads the structure from the server when it answers; offline it shows the one kept.
  useEffect(() => { void refresh(); }, []);

  let status: ReactNode = null;
  if (view && !view.online) {
    status = <p className="notice notice-warn" role="status" data-testid="structure-offline">{view.fetchedAt ? t('struktur.offline', { when: formatMoment(view.fetchedAt, language) }) : t('struktur.offlineNever')}</p>;
  } else if (view?.fetchedAt) {
    status = <p className="field-hint">{t('struktur.fetchedAt', { when: formatMoment(view.fetchedAt, language) })}</p>;
  }

  return (
    <section className="screen" data-testid="screen-struktur" aria-labelledby="struktur-title">
      <h1 id="struktur-title" tabIndex={-1}>{t('struktur.heading')}</h1>
      <p className="field-hint">{t('struktur.hint')}</p>
      {status}
      <p><button type="button" className="button-secondary" onClick={() => void refresh()} disabled={refreshing} data-testid="structure-refresh">{t('struktur.refresh')}</button></p>
      <ErrorNotice error={refreshError ?? (live.error ? errorText(live.error, language) : null)} testId="structure-error" />
      {view && (
        <>
          <section className="panel st-wide" aria-labelledby="structure-tree-title">
            <h2 id="structure-tree-title">{t('struktur.positions')}</h2>
            {view.positions.length === 0 ? <p className="muted">{t('struktur.noPositions')}</p> : (
              <ul className="st-tree" data-testid="structure-tree">
                {treeOf(view.positions).map(({ position, depth }) => (
                  <PositionRow key={`${position.id} ${position.title} ${position.parentId ?? ''} ${position.level} ${position.holder?.userId ?? ''}`} position={position} depth={depth} view={view} onView={onView} />
                ))}
              </ul>
            )}
          </section>
          {view.canManage && <NewPosition view={view} onView={onView} />}
          <Routes key={`routes ${view.fetchedAt ?? ''}`} view={view} onView={onView} />
          <Instructions key={`instructions ${view.fetchedAt ?? ''}`} view={view} onView={onView} />
        </>
      )}
    </section>
  );
}
