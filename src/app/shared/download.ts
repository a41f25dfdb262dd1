/**
 * Hand a file to the browser's downloads: a Blob URL clicked through a detached link, revoked once the
 * download has had time to start (revoking at once cancels it in some browsers).
 */
export function saveDownload(name: string, data: string | Uint8Array, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
