// The desk's screens in navigation order, and which of them work today. A screen that does not
// work yet is not shown at all (no placeholders): flip `available` when its feature lands, and the
// type system then asks for its screen component in App.tsx.
export interface FeatureEntry {
  /** Also the URL fragment (#/<id>) and the i18n key nav.<id>. */
  readonly id: string;
  readonly available: boolean;
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
  { id: 'antrian-sinkron', available: true },
  { id: 'pengaturan', available: true },
] as const satisfies readonly FeatureEntry[];

export type FeatureId = (typeof features)[number]['id'];
export type AvailableFeatureId = Extract<(typeof features)[number], { available: true }>['id'];

export const homeFeature: AvailableFeatureId = 'beranda';

function isAvailable(entry: (typeof features)[number]): entry is Extract<(typeof features)[number], { available: true }> {
  return entry.available;
}

/** The screens the navigation shows, in order. */
export function availableFeatures(): AvailableFeatureId[] {
  return features.filter(isAvailable).map((f) => f.id);
}

export function hashFor(id: AvailableFeatureId): string {
  return `#/${id}`;
}

/** The screen a location fragment opens; an unknown or not-yet-available screen opens Beranda. */
export function featureFromHash(hash: string): AvailableFeatureId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return availableFeatures().find((f) => f === id) ?? homeFeature;
}
