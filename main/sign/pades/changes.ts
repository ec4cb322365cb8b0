// What changed in a document after a signature, decided by its objects (never by searching text):
// each revision after the signed one is compared with the revision before it, object by object.
// Only the objects the earlier revision shows — reachable from its catalog and trailer, the /DSS
// aside — can be changed in a way that matters; each one whose value differs must be one of the
// changes a later revision is allowed to make (ISO 32000-2 §12.8.2, ETSI EN 319 142-1 §5.4):
//   - /DSS validation data (the catalog gaining or changing /DSS),
//   - a document timestamp, a further signature field with its widget, and their AcroForm /Fields
//     and page /Annots entries,
//   - what a certification signature's DocMDP permits (P=2 filling in form fields, P=3 also
//     annotations), except fields a FieldMDP lock protects.
// Everything else is a change after signing, named by page and object.
import { isName, type RevisionState, type XrefEntry } from './pdf-file.ts';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, PdfSyntaxError, type PdfObject, type PdfValue } from './pdf-syntax.ts';

export interface Change {
  /** The page (1-based) the change shows on, when it belongs to one. */
  page: number | null;
  /** The object number that was changed, when one was. */
  object: number | null;
  /** What changed, in Bahasa Indonesia, for the report. */
  description: string;
}

/** What a later revision may add without changing the signed document. */
export type Addition = 'validation-data' | 'signature' | 'document-timestamp' | 'signature-field';

export interface Permissions {
  /** DocMDP of a certification signature at or before this one: 1 no changes, 2 form filling, 3 also annotations. */
  docMdp: 1 | 2 | 3 | null;
  /** Fully qualified names of the form fields a FieldMDP lock protects, or every field. */
  locked: Set<string> | 'all';
}

export interface Comparison {
  /** Changes no rule allows: the signature no longer covers what the document shows. */
  changes: Change[];
  /** Changes the certification signature's DocMDP allows (form filling, annotations): shown as warnings. */
  permitted: Change[];
  additions: Set<Addition>;
}

type Role =
  | { kind: 'catalog' }
  | { kind: 'catalog-entry'; key: string }
  | { kind: 'info' }
  | { kind: 'pages' }
  | { kind: 'page'; page: number }
  | { kind: 'page-part'; page: number | null; what: 'content' | 'resource' | 'other' }
  | { kind: 'annots'; page: number }
  | { kind: 'annotation'; page: number | null; widget: boolean; field: FieldInfo | null }
  | { kind: 'appearance'; page: number | null; owner: Role & { kind: 'annotation' | 'field' } }
  | { kind: 'acroform' }
  | { kind: 'field-list' }
  | { kind: 'field'; page: number | null; info: FieldInfo }
  | { kind: 'signature-value'; field: FieldInfo | null };

interface FieldInfo {
  name: string;
  signature: boolean;
  /** A signature field whose /V (the signature) is set. */
  signed: boolean;
}

const maxPages = 1_000_000;

/** Each revision's map, kept while its state is: a revision is the later one of one step and the earlier one of the next. */
const mapped = new WeakMap<RevisionState, Map<number, Role>>();

/**
 * The objects a revision shows, each with what it is there for; mapped once per revision. Throws
 * PdfSyntaxError when one of them does not read: nothing could then be ruled out.
 */
function rolesOf(state: RevisionState): Map<number, Role> {
  let roles = mapped.get(state);
  if (roles === undefined) {
    roles = mapDocument(state);
    mapped.set(state, roles);
    state.file.budget.lex(roles.size * 16);
  }
  return roles;
}

/** Throws PdfSyntaxError unless every object the revision shows reads. */
export function assertReadable(state: RevisionState): void {
  rolesOf(state);
}

function mapDocument(state: RevisionState): Map<number, Role> {
  const roles = new Map<number, Role>();
  const queue: number[] = [];
  const enqueue = (num: number) => {
    if (!queued.has(num)) {
      queued.add(num);
      queue.push(num);
    }
  };
  const queued = new Set<number>();
  const assign = (value: PdfValue | undefined, role: Role) => {
    if (value instanceof PdfRef && !roles.has(value.num)) {
      roles.set(value.num, role);
      enqueue(value.num);
    }
  };
  const catalogRef = state.trailer.get('Root');
  assign(catalogRef, { kind: 'catalog' });
  const catalog = state.catalog();
  if (catalog === undefined) throw new PdfSyntaxError('the revision has no catalog', 0);

  // Pages in order, so a change can be named by its page number.
  let pageNumber = 0;
  const stack: { value: PdfValue | undefined; depth: number }[] = [{ value: catalog.get('Pages'), depth: 0 }];
  const seenNodes = new Set<PdfDict>();
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    const node = state.dict(value);
    if (node === undefined || seenNodes.has(node) || depth > 64 || pageNumber >= maxPages) continue;
    seenNodes.add(node);
    if (isName(node.get('Type'), 'Pages') || node.get('Kids') !== undefined) {
      assign(value, { kind: 'pages' });
      const kids = state.array(node.get('Kids')) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ value: kids[i], depth: depth + 1 });
      continue;
    }
    const page = ++pageNumber;
    assign(value, { kind: 'page', page });
    assign(node.get('Annots'), { kind: 'annots', page });
    for (const annotation of state.array(node.get('Annots')) ?? []) {
      const annot = state.dict(annotation);
      assign(annotation, { kind: 'annotation', page, widget: isName(annot?.get('Subtype'), 'Widget'), field: null });
    }
  }

  // The form's fields, with their full names (FieldMDP locks name them) and inherited type.
  const acroFormValue = catalog.get('AcroForm');
  assign(acroFormValue, { kind: 'acroform' });
  const acroForm = state.dict(acroFormValue);
  const fieldStack: { value: PdfValue; parentName: string; parentType: string | null; depth: number }[] = [];
  const pushFields = (list: PdfValue | undefined, parentName: string, parentType: string | null, depth: number) => {
    assign(list, { kind: 'field-list' });
    const items = state.array(list) ?? [];
    for (let i = items.length - 1; i >= 0; i--) fieldStack.push({ value: items[i]!, parentName, parentType, depth });
  };
  pushFields(acroForm?.get('Fields'), '', null, 0);
  const seenFields = new Set<PdfDict>();
  while (fieldStack.length > 0) {
    const { value, parentName, parentType, depth } = fieldStack.pop()!;
    const field = state.dict(value);
    if (field === undefined || seenFields.has(field) || depth > 32) continue;
    seenFields.add(field);
    const partial = field.get('T');
    const name = partial instanceof PdfString ? (parentName ? `${parentName}.${partial.text()}` : partial.text()) : parentName;
    const type = field.get('FT') instanceof PdfName ? (field.get('FT') as PdfName).name : parentType;
    const info: FieldInfo = { name, signature: type === 'Sig', signed: type === 'Sig' && field.get('V') !== undefined };
    const page = value instanceof PdfRef ? pageOf(roles.get(value.num)) : null;
    if (value instanceof PdfRef) {
      // A field merged with its widget is both; the field is what a permission speaks of.
      roles.set(value.num, { kind: 'field', page, info });
      enqueue(value.num);
    }
    if (info.signature) assign(field.get('V'), { kind: 'signature-value', field: info });
    if (field.get('Kids') !== undefined) pushFields(field.get('Kids'), name, type, depth + 1);
  }
  for (const [num, role] of roles) {
    if (role.kind === 'annotation' && role.widget) {
      // A widget that is a field's kid belongs to that field.
      const parent = state.dict(state.get(num) as PdfValue)?.get('Parent');
      const owner = parent instanceof PdfRef ? roles.get(parent.num) : undefined;
      if (owner?.kind === 'field') roles.set(num, { ...role, field: owner.info });
    }
  }

  assign(state.trailer.get('Info'), { kind: 'info' });

  // Everything else reachable, named after what reaches it. /DSS is validation data, not the document.
  for (let i = 0; i < queue.length; i++) {
    const num = queue[i]!;
    const role = roles.get(num)!;
    const object = state.get(num);
    const dict = object instanceof PdfStream ? object.dict : object instanceof PdfDict ? object : null;
    const visitChildren = (value: PdfValue, key: string | null) => forEachRef(value, (ref) => {
      if (!roles.has(ref.num)) assign(ref, childRole(role, key));
    });
    if (dict !== null) {
      for (const [key, value] of dict.map) {
        if (role.kind === 'catalog' && key === 'DSS') continue;
        visitChildren(value, key);
      }
    } else if (object !== undefined && !(object instanceof PdfStream)) visitChildren(object, null);
  }
  return roles;
}

function pageOf(role: Role | undefined): number | null {
  return role !== undefined && 'page' in role ? role.page : null;
}

function childRole(parent: Role, key: string | null): Role {
  switch (parent.kind) {
    case 'catalog': return { kind: 'catalog-entry', key: key ?? '?' };
    case 'page': return { kind: 'page-part', page: parent.page, what: key === 'Contents' ? 'content' : key === 'Resources' ? 'resource' : 'other' };
    case 'pages': return { kind: 'page-part', page: null, what: key === 'Resources' ? 'resource' : 'other' };
    case 'annotation':
    case 'field':
      if (key === 'AP') return { kind: 'appearance', page: pageOf(parent), owner: parent };
      if (key === 'V' && parent.kind === 'field' && parent.info.signature) return { kind: 'signature-value', field: parent.info };
      return parent.kind === 'field' ? { kind: 'field', page: parent.page, info: parent.info } : parent;
    case 'annots': return { kind: 'annotation', page: parent.page, widget: false, field: null };
    case 'acroform':
    case 'field-list': return { kind: 'catalog-entry', key: 'AcroForm' };
    default: return parent;
  }
}

function forEachRef(value: PdfValue, visit: (ref: PdfRef) => void, depth = 0): void {
  if (depth > 64) return;
  if (value instanceof PdfRef) visit(value);
  else if (Array.isArray(value)) for (const v of value) forEachRef(v, visit, depth + 1);
  else if (value instanceof PdfDict) for (const v of value.map.values()) forEachRef(v, visit, depth + 1);
}

/** The same value in both revisions (a stream's data compared byte for byte). */
export function sameValue(a: PdfObject | undefined, b: PdfObject | undefined, bytes: Uint8Array, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i], bytes, depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.ambiguous || b.ambiguous || a.map.size !== b.map.size) return false;
    for (const [key, value] of a.map) if (!sameValue(value, b.map.get(key), bytes, depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) {
    return b instanceof PdfStream && a.complete && b.complete && sameValue(a.dict, b.dict, bytes, depth + 1)
      && Buffer.from(bytes.subarray(a.dataStart, a.dataEnd)).equals(Buffer.from(bytes.subarray(b.dataStart, b.dataEnd)));
  }
  return false;
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === undefined || a.type === 0) return b === undefined || b.type === 0;
  if (b === undefined || a.type !== b.type) return false;
  if (a.type === 1) return b.type === 1 && a.offset === b.offset && a.gen === b.gen;
  return b.type === 2 && a.stream === b.stream && a.index === b.index;
}

/** Objects whose definition differs: another entry, or the object stream holding them redefined. */
function redefinedObjects(signed: RevisionState, latest: RevisionState): number[] {
  const changed: number[] = [];
  const unchanged = (num: number) => {
    const before = signed.entries.get(num);
    const after = latest.entries.get(num);
    if (!sameEntry(before, after)) return false;
    return after?.type !== 2 || sameEntry(signed.entries.get(after.stream), latest.entries.get(after.stream));
  };
  for (const num of latest.entries.keys()) if (!unchanged(num)) changed.push(num);
  for (const num of signed.entries.keys()) if (!latest.entries.has(num) && !unchanged(num)) changed.push(num);
  return changed;
}

const keyNames: Record<string, string> = {
  OpenAction: 'tindakan saat dokumen dibuka (/OpenAction)', AA: 'tindakan otomatis (/AA)', Names: 'daftar nama dokumen (/Names: lampiran, JavaScript)',
  Pages: 'susunan halaman (/Pages)', Outlines: 'daftar isi (/Outlines)', Metadata: 'metadata dokumen (/Metadata)', Perms: 'izin dokumen (/Perms)',
  AcroForm: 'formulir (/AcroForm)', StructTreeRoot: 'struktur dokumen', OCProperties: 'lapisan isi (/OCProperties)', PageLabels: 'label halaman',
};
const keyName = (key: string) => keyNames[key] ?? `/${key}`;
const pageKeyNames: Record<string, string> = {
  Contents: 'isi halaman (/Contents)', Resources: 'sumber daya (/Resources)', MediaBox: 'ukuran halaman (/MediaBox)', CropBox: 'bidang tampil (/CropBox)',
  Rotate: 'putaran halaman (/Rotate)', Annots: 'anotasi (/Annots)', Parent: 'letak dalam susunan halaman (/Parent)',
};

/** What the object is, as the report names it: "Isi halaman 1", "Katalog dokumen", … */
function subject(role: Role): string {
  switch (role.kind) {
    case 'catalog': return 'Katalog dokumen';
    case 'catalog-entry': return `Bagian dokumen ${keyName(role.key)}`;
    case 'info': return 'Informasi dokumen (/Info: judul, pembuat, tanggal)';
    case 'pages': return 'Susunan halaman';
    case 'page': return `Halaman ${role.page}`;
    case 'page-part': {
      const what = role.what === 'content' ? 'Isi' : role.what === 'resource' ? 'Sumber daya (huruf, gambar)' : 'Bagian';
      return role.page === null ? `${what} halaman` : `${what} halaman ${role.page}`;
    }
    case 'annots': return `Daftar anotasi halaman ${role.page}`;
    case 'annotation': return role.field ? `Kolom formulir "${role.field.name}"${onPage(role.page)}` : `Anotasi${onPage(role.page)}`;
    case 'appearance': return `Tampilan ${role.owner.kind === 'field' ? `kolom "${role.owner.info.name}"` : 'anotasi'}${onPage(role.page)}`;
    case 'acroform': return 'Formulir dokumen (/AcroForm)';
    case 'field-list': return 'Daftar kolom formulir';
    case 'field': return role.info.signature ? `Kolom tanda tangan "${role.info.name}"` : `Kolom formulir "${role.info.name}"${onPage(role.page)}`;
    case 'signature-value': return `Data tanda tangan${role.field ? ` "${role.field.name}"` : ''}`;
  }
}

/** `keys`: the dictionary entries that differ, named in the description when known. */
function describe(role: Role, num: number, verb = 'diubah', keys: string[] | null = null): Change {
  const which = keys === null || keys.length === 0 ? '' : `: ${keys.slice(0, 4).map((k) => (role.kind === 'page' ? pageKeyNames[k] : undefined) ?? `/${k}`).join(', ')}`;
  return { page: pageOf(role), object: num, description: `${subject(role)} ${verb}${which} (objek ${num}).` };
}

const onPage = (page: number | null) => (page === null ? '' : ` di halaman ${page}`);

const refNum = (v: PdfValue) => (v instanceof PdfRef ? v.num : null);

/**
 * Compares a revision (`signed`: the one a signature covers, or a later one already judged) with
 * the revision after it (`latest`). Throws PdfSyntaxError when the earlier revision cannot be read
 * completely (nothing can then be ruled out); what does not read in the later one is a change.
 */
export function compareRevisions(signed: RevisionState, latest: RevisionState, permissions: Permissions): Comparison {
  const result: Comparison = { changes: [], permitted: [], additions: new Set() };
  const bytes = signed.file.bytes;
  const change = (c: Change) => result.changes.push(c);

  const sameRef = (key: string) => sameValue(signed.trailer.get(key), latest.trailer.get(key), bytes);
  if (!sameRef('Root')) change({ page: null, object: refNum(latest.trailer.get('Root') ?? null), description: 'Katalog dokumen diganti dengan katalog lain.' });
  if (!sameRef('Info')) change({ page: null, object: null, description: 'Informasi dokumen (/Info: judul, pembuat, tanggal) diganti.' });
  if (!sameRef('Encrypt')) change({ page: null, object: null, description: 'Enkripsi dokumen diubah.' });

  const redefined = redefinedObjects(signed, latest);
  if (redefined.length === 0) return result;
  const roles = rolesOf(signed);
  const formFilling = permissions.docMdp !== null && permissions.docMdp >= 2;
  const annotating = permissions.docMdp === 3;
  const locked = (info: FieldInfo | null) => info !== null && (permissions.locked === 'all' || permissions.locked.has(info.name));

  const readLatest = (num: number): PdfObject | undefined | 'damaged' => {
    try {
      return latest.get(num);
    } catch (err) {
      if (err instanceof PdfSyntaxError) return 'damaged';
      throw err;
    }
  };
  const latestDict = (value: PdfValue | undefined) => {
    try {
      return latest.dict(value);
    } catch (err) {
      if (err instanceof PdfSyntaxError) return undefined;
      throw err;
    }
  };
  const listOf = (state: RevisionState, value: PdfValue | undefined) => {
    try {
      return state.array(value) ?? [];
    } catch (err) {
      if (err instanceof PdfSyntaxError) return null;
      throw err;
    }
  };

  /** A field added to /Fields: only a new signature field (or document timestamp) is allowed. */
  const addedField = (value: PdfValue, named: Change): boolean => {
    const num = refNum(value);
    if (num !== null && roles.has(num)) return false;
    const field = latestDict(value);
    if (field === undefined || !isName(field.get('FT'), 'Sig')) return false;
    const signature = latestDict(field.get('V'));
    const addition: Addition = signature === undefined ? 'signature-field'
      : isName(signature.get('Type'), 'DocTimeStamp') || isName(signature.get('SubFilter'), 'ETSI.RFC3161') ? 'document-timestamp' : 'signature';
    // Certified with "no changes": only validation data and document timestamps may follow.
    if (permissions.docMdp === 1 && addition !== 'document-timestamp') {
      change({ ...named, description: `${addition === 'signature-field' ? 'Kolom tanda tangan' : 'Tanda tangan'} baru ditambahkan, padahal sertifikasi dokumen tidak mengizinkan perubahan apa pun (objek ${num ?? '-'}).` });
      return true;
    }
    result.additions.add(addition);
    return true;
  };

  const compareFieldLists = (before: PdfValue[], after: PdfValue[], num: number) => {
    const key = (v: PdfValue) => (v instanceof PdfRef ? `r${v.num}` : null);
    const beforeKeys = new Set(before.map(key));
    const afterKeys = new Set(after.map(key));
    for (const v of before) {
      if (key(v) !== null && afterKeys.has(key(v))) continue;
      const role = refNum(v) === null ? undefined : roles.get(refNum(v)!);
      const name = role?.kind === 'field' ? role.info.name : null;
      change({ page: pageOf(role), object: refNum(v) ?? num, description: role?.kind === 'field' && role.info.signature ? `Tanda tangan "${name}" dihapus dari dokumen.` : `Kolom formulir${name ? ` "${name}"` : ''} dihapus.` });
    }
    for (const v of after) {
      if (key(v) !== null && beforeKeys.has(key(v))) continue;
      const named = { page: null, object: refNum(v) ?? num };
      if (!addedField(v, { ...named, description: '' })) {
        const field = latestDict(v);
        const title = field?.get('T');
        change({ ...named, description: `Kolom formulir baru${title instanceof PdfString ? ` "${title.text()}"` : ''} ditambahkan (objek ${refNum(v) ?? num}).` });
      }
    }
  };

  const compareAnnotationLists = (before: PdfValue[], after: PdfValue[], page: number, num: number) => {
    const key = (v: PdfValue) => (v instanceof PdfRef ? `r${v.num}` : null);
    const beforeKeys = new Set(before.map(key));
    const afterKeys = new Set(after.map(key));
    for (const v of before) {
      if (key(v) !== null && afterKeys.has(key(v))) continue;
      const role = refNum(v) === null ? undefined : roles.get(refNum(v)!);
      const widget = role?.kind === 'field' || (role?.kind === 'annotation' && role.widget);
      const field = role?.kind === 'field' ? role.info : role?.kind === 'annotation' ? role.field : null;
      const what = field === null ? (widget ? 'Kolom formulir' : 'Anotasi') : `${field.signature ? 'Kolom tanda tangan' : 'Kolom formulir'} "${field.name}"`;
      const entry = { page, object: refNum(v) ?? num, description: `${what} dihapus dari halaman ${page}.` };
      if (annotating && !widget) result.permitted.push(entry);
      else change(entry);
    }
    for (const v of after) {
      if (key(v) !== null && beforeKeys.has(key(v))) continue;
      const n = refNum(v);
      const annotation = latestDict(v);
      const parent = latestDict(annotation?.get('Parent'));
      const signatureWidget = isName(annotation?.get('Subtype'), 'Widget') && (isName(annotation?.get('FT'), 'Sig') || isName(parent?.get('FT'), 'Sig'));
      // Certified with "no changes", only a document timestamp's widget may appear.
      const value = latestDict(annotation?.get('V') ?? parent?.get('V'));
      const allowedHere = permissions.docMdp !== 1 || isName(value?.get('Type'), 'DocTimeStamp') || isName(value?.get('SubFilter'), 'ETSI.RFC3161');
      if (signatureWidget && allowedHere && (n === null || !roles.has(n))) continue;
      const what = signatureWidget ? 'Kolom tanda tangan baru' : isName(annotation?.get('Subtype'), 'Widget') ? 'Kolom formulir baru' : 'Anotasi baru';
      const why = signatureWidget ? ', padahal sertifikasi dokumen tidak mengizinkan perubahan apa pun' : '';
      const entry = { page, object: n ?? num, description: `${what} ditambahkan di halaman ${page}${why}${n === null ? '' : ` (objek ${n})`}.` };
      if (annotating && !isName(annotation?.get('Subtype'), 'Widget')) result.permitted.push(entry);
      else change(entry);
    }
  };

  /** Keys whose value differs between two dictionaries. */
  const changedKeys = (a: PdfDict, b: PdfDict) => [...new Set([...a.map.keys(), ...b.map.keys()])].filter((k) => !sameValue(a.get(k), b.get(k), bytes));

  const compareAcroForm = (before: PdfDict | undefined, after: PdfDict | undefined, num: number) => {
    for (const key of changedKeys(before ?? new PdfDict(new Map(), false), after ?? new PdfDict(new Map(), false))) {
      if (key === 'SigFlags') continue;
      if (key === 'Fields') {
        const b = before === undefined ? [] : listOf(signed, before.get('Fields'));
        const a = after === undefined ? [] : listOf(latest, after.get('Fields'));
        if (b !== null && a !== null) {
          compareFieldLists(b, a, num);
          continue;
        }
      }
      change({ page: null, object: num, description: `Formulir dokumen (/AcroForm) ${keyName(key)} diubah (objek ${num}).` });
    }
  };

  for (const num of redefined) {
    const role = roles.get(num);
    // Not part of what was signed: new objects and unused ones matter only if a signed object now refers to them.
    if (role === undefined) continue;
    const before = signed.get(num);
    const after = readLatest(num);
    if (after !== 'damaged' && sameValue(before, after, bytes)) continue;
    const named = describe(role, num);
    if (after === 'damaged' || after === undefined) {
      change(describe(role, num, after === undefined ? 'dihapus' : 'rusak (tidak dapat dibaca)'));
      continue;
    }
    // Dictionaries are compared key by key; a stream or any other value that differs is a change.
    const b = before instanceof PdfDict ? before : null;
    const a = after instanceof PdfDict ? after : null;
    const keys = b !== null && a !== null ? changedKeys(b, a) : null;
    const only = (allowed: string[]) => keys !== null && keys.every((k) => allowed.includes(k));

    switch (role.kind) {
      case 'catalog': {
        if (keys === null || a === null || b === null) break;
        for (const key of keys) {
          if (key === 'DSS') result.additions.add('validation-data');
          else if (key === 'Extensions') continue;
          else if (key === 'AcroForm') compareAcroForm(signed.dict(b.get('AcroForm')), latestDict(a.get('AcroForm')), num);
          else change({ page: null, object: num, description: `Katalog dokumen: ${keyName(key)} diubah (objek ${num}).` });
        }
        continue;
      }
      case 'acroform':
        if (a === null || b === null) break;
        compareAcroForm(b, a, num);
        continue;
      case 'field-list': {
        const bl = listOf(signed, before as PdfValue);
        const al = listOf(latest, after as PdfValue);
        if (bl === null || al === null || !Array.isArray(before) || !Array.isArray(after)) break;
        compareFieldLists(bl, al, num);
        continue;
      }
      case 'annots':
        if (!Array.isArray(before) || !Array.isArray(after)) break;
        compareAnnotationLists(before, after, role.page, num);
        continue;
      case 'page': {
        if (!only(['Annots']) || a === null || b === null) break;
        const bl = listOf(signed, b.get('Annots'));
        const al = listOf(latest, a.get('Annots'));
        if (bl === null || al === null) break;
        compareAnnotationLists(bl, al, role.page, num);
        continue;
      }
      case 'field': {
        if (role.info.signature && !role.info.signed && only(['V', 'AP'])) {
          // An empty signature field that is now signed.
          if (a !== null && addedFieldValue(a, latestDict, permissions, result, change, num)) continue;
          break;
        }
        if (!role.info.signature && formFilling && !locked(role.info) && only(['V', 'AS', 'AP'])) {
          result.permitted.push({ ...named, description: `Isian kolom formulir "${role.info.name}"${onPage(role.page)} diubah (objek ${num}).` });
          continue;
        }
        break;
      }
      case 'annotation': {
        if (role.widget && role.field !== null && !role.field.signature && formFilling && !locked(role.field) && only(['AS', 'AP'])) {
          result.permitted.push({ ...named, description: `Isian kolom formulir "${role.field.name}"${onPage(role.page)} diubah (objek ${num}).` });
          continue;
        }
        if (!role.widget && annotating) {
          result.permitted.push(named);
          continue;
        }
        break;
      }
      case 'appearance': {
        const owner = role.owner;
        const ownerField = owner.kind === 'field' ? owner.info : owner.field;
        if (ownerField !== null && !ownerField.signature && formFilling && !locked(ownerField)) {
          result.permitted.push({ ...named, description: `Tampilan isian kolom formulir "${ownerField.name}"${onPage(role.page)} diubah (objek ${num}).` });
          continue;
        }
        if (owner.kind === 'annotation' && !owner.widget && annotating) {
          result.permitted.push(named);
          continue;
        }
        break;
      }
      default:
        break;
    }
    change(describe(role, num, 'diubah', keys));
  }
  return result;
}

/** The /V an empty signature field received: a signature or a document timestamp. */
function addedFieldValue(field: PdfDict, latestDict: (v: PdfValue | undefined) => PdfDict | undefined, permissions: Permissions, result: Comparison, change: (c: Change) => void, num: number): boolean {
  const signature = latestDict(field.get('V'));
  if (signature === undefined || signature.get('ByteRange') === undefined) return false;
  const timestamp = isName(signature.get('Type'), 'DocTimeStamp') || isName(signature.get('SubFilter'), 'ETSI.RFC3161');
  if (permissions.docMdp === 1 && !timestamp) {
    change({ page: null, object: num, description: `Kolom tanda tangan kosong ditandatangani, padahal sertifikasi dokumen tidak mengizinkan perubahan apa pun (objek ${num}).` });
    return true;
  }
  result.additions.add(timestamp ? 'document-timestamp' : 'signature');
  return true;
}
