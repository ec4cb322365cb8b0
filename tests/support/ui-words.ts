// What a person must never read in Loket's Indonesian UI: internals (identifiers in snake_case or
// camelCase, error codes, dotted event names) and English words. Used by the words check over the
// translations and the contract's error texts, and by E2E tests over the text a screen shows.

/** English words that are not also Indonesian (server, token, PIN, data are). */
const english = [
  'the', 'and', 'of', 'with', 'for', 'from', 'to', 'is', 'are', 'not', 'please', 'error', 'failed', 'invalid', 'unknown',
  'project', 'signer', 'usage', 'signature', 'settings', 'loading', 'save', 'cancel', 'file', 'online', 'offline',
  'sign', 'signed', 'queue', 'pending', 'rejected', 'export', 'letter', 'number', 'user', 'password', 'desk', 'your',
];
const englishWord = new RegExp(`(^|[^\\p{L}-])(${english.join('|')})(?=$|[^\\p{L}-])`, 'iu');

/** Names of standards, products and paper sizes, written as their owners write them. */
const properNames = ['eSCL/AirScan', 'eSCL', 'AirScan', 'Cloud Signature Consortium', 'Letter', 'Legal'];

/** Addresses, file names, command-line options, proper names and placeholders are shown on purpose. */
function strip(text: string): string {
  let t = text;
  for (const name of properNames) t = t.split(name).join(' ');
  return t
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/\{[a-z_]+\}/g, ' ') // the agenda number format's tokens, which the admin types
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)\/\S+/g, ' ') // folders and files on this computer (Pengaturan's data folder)
    .replace(/(^|\s)--[a-z][a-z-]*/g, ' ')
    .replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b(?=\))/g, ' ') // LOKET_SERVER_CA named as an option, in parentheses
    .replace(/\S+\.(?:go\.id|pem|crt|cer|der|pdf|p12|so|dll|json)\b/gi, ' ');
}

export interface RawFinding { kind: 'identifier' | 'code' | 'english'; match: string }

/** The first internal or English word in `text` a clerk would read, or undefined. */
export function rawWordIn(text: string, options: { allowEnglish?: readonly string[] } = {}): RawFinding | undefined {
  const t = strip(text);
  const identifier = /\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z][a-zA-Z]+\d*\b|\b[a-z]+\.[a-z_]+\.[a-z_.]+\b|\b[A-Z][a-z]+[A-Z][a-z]+\d+\b/.exec(t);
  if (identifier) return { kind: 'identifier', match: identifier[0] };
  const code = /\b[A-Z]{2,}_[A-Z_]{2,}\b/.exec(t);
  if (code) return { kind: 'code', match: code[0] };
  const word = englishWord.exec(t);
  if (word && !options.allowEnglish?.includes(word[2]!.toLowerCase())) return { kind: 'english', match: word[2]! };
  return undefined;
}
