// Offers bytes from main to the person as a file download (the agenda book, a validation report,
// a scanned page as JPG) without a server route: a blob URL on a link clicked once, revoked after use.

/** Long enough for the browser (or Electron's save dialog) to have taken the file. */
const keepUrlMs = 10_000;

export function offerDownload(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  // In the document while clicked: some browsers ignore a click on a detached link.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), keepUrlMs);
}
