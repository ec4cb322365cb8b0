// The desk's screens in navigation order, and which of them work today. A screen that does not
// work yet is not shown at all (no placeholders): flip `available` when its feature lands, and the
// type system then asks for its screen component in App.tsx.
export interface FeatureEntry {
  /** Also the URL fragment (#/<id>) and the i18n key nav.<id>. */
  readonly id: string;
  readonly available: boolean;
  /** Shown only to a person signed in with one of these roles; absent: to everyone. */
  readonly roles?: readonly string[];
}

export const features = [
  { id: 'beranda', available: true },
  { id: 'surat-masuk', available: true },
  { id: 'disposisi', available: true },
  { id: 'surat-keluar', available: true },
  { id: 'konsep', available: true },
  { id: 'pindai', available: true },
  { id: 'tanda-tangan', available: true },
  { id: 'delegasi', available: true },
  { id: 'struktur', available: true, roles: ['admin_kantor'] },
  { id: 'antrian-sinkron', available: true },
  { id: 'pengaturan', available: true },
] as const satisfies readonly FeatureEntry[];

export type FeatureId = (typeof features)[number]['id'];
export type AvailableFeatureId = Extract<(typeof features)[number], { available: true }>['id'];

export const homeFeature: AvailableFeatureId = 'beranda';

function isAvailable(entry: (typeof features)[number]): entry is Extract<(typeof features)[number], { available: true }> {
  return entry.available;
}

/** Whether a person with these roles may open the screen. */
function allowed(entry: FeatureEntry, roles: readonly string[]): boolean {
  return entry.roles === undefined || entry.roles.some((r) => roles.includes(r));
}

/** The screens the navigation shows to a person with these roles, in order. */
export function availableFeatures(roles: readonly string[] = []): AvailableFeatureId[] {
  return features.filter(isAvailable).filter((f) => allowed(f, roles)).map((f) => f.id);
}

export function hashFor(id: AvailableFeatureId): string {
  return `#/${id}`;
}

/** The screen a location fragment opens; an unknown, not-yet-available or not-for-this-person screen opens Beranda. */
export function featureFromHash(hash: string, roles: readonly string[] = []): AvailableFeatureId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return availableFeatures(roles).find((f) => f === id) ?? homeFeature;
}
