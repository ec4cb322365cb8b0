// Bytes as base64 text and back: the IPC contract carries files as base64 (the sandboxed renderer
// has no file paths, and a bridge message is text).

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In pieces: spreading a whole file into String.fromCharCode overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
