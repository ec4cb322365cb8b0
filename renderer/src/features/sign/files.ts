// A PDF the person picked or dropped, as base64 for the contract: the sandboxed renderer has no
// file paths. (PDFs from main are offered with files/download.ts.)

export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('file unreadable'));
    reader.readAsDataURL(file);
  });
}
