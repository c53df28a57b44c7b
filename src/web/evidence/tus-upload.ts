// A small tus 1.0.0 client for the desk (creation, PATCH, HEAD), the protocol the node already speaks:
// the file is sent in slices read from disk by the browser, so memory stays flat for files of tens of
// GB; the upload's id is remembered per request and file, so after a cut (or a closed tab) choosing
// the same file again resumes where the node says it stands. XMLHttpRequest, not fetch, because only
// it reports upload progress.
import { ApiError, csrfToken } from '../api/client.ts';

/** Bytes per PATCH: a cut loses at most this much, and progress moves at least this often. */
export const PATCH_BYTES = 2 * 1024 * 1024;
const TUS = '1.0.0';
const REMEMBER = 'hanoi247.upload:';

export type UploadMetadata = Record<string, string | undefined>;

function base64Utf8(value: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** `key base64,key base64` (tus Upload-Metadata), values in UTF-8; empty values left out. */
export function tusMetadata(values: UploadMetadata): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${base64Utf8(v!)}`)
    .join(',');
}

function rememberKey(requestId: string, file: File): string {
  return `${REMEMBER}${requestId}:${file.name}:${file.size}:${file.lastModified}`;
}

function recall(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, uploadId: string | null): void {
  try {
    if (uploadId) localStorage.setItem(key, uploadId);
    else localStorage.removeItem(key);
  } catch {
    // Without storage a cut upload is resumed only from this page, not after a reload.
  }
}

type XhrReply = { status: number; headers: (name: string) => string | null; body: string };

function xhr(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Blob | null,
  onProgress?: (loaded: number) => void,
): Promise<XhrReply> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    request.withCredentials = true;
    for (const [k, v] of Object.entries({ 'tus-resumable': TUS, ...headers })) request.setRequestHeader(k, v);
    const token = csrfToken();
    if (token) request.setRequestHeader('x-csrf-token', token);
    if (onProgress) request.upload.onprogress = (e) => onProgress(e.loaded);
    request.onload = () =>
      resolve({
        status: request.status,
        headers: (name) => request.getResponseHeader(name),
        body: request.responseText,
      });
    request.onerror = () => reject(new ApiError(0, {}));
    request.onabort = () => reject(new ApiError(0, {}));
    request.send(body);
  });
}

function refusal(reply: XhrReply): ApiError {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = reply.body ? (JSON.parse(reply.body) as Record<string, unknown>) : {};
  } catch {
    parsed = { detail: reply.body };
  }
  return new ApiError(reply.status, parsed);
}

/** Where an upload the node knows stands, or null if it is not open any more. */
async function openOffset(uploadId: string): Promise<number | null> {
  const reply = await xhr('GET', `/api/v1/evidence/uploads/${encodeURIComponent(uploadId)}`, {}, null);
  if (reply.status !== 200) return null;
  const upload = JSON.parse(reply.body) as { status: string; offset: number };
  return upload.status === 'open' ? upload.offset : null;
}

export type UploadHandle = { uploadId: string; offset: number };

/** The upload of this file for this request: the one a cut left open, or a new one. */
export async function startUpload(
  requestId: string,
  file: File,
  metadata: UploadMetadata,
): Promise<UploadHandle> {
  const key = rememberKey(requestId, file);
  const known = recall(key);
  if (known) {
    const offset = await openOffset(known);
    if (offset !== null) return { uploadId: known, offset };
    remember(key, null);
  }
  const reply = await xhr(
    'POST',
    `/api/v1/requests/${encodeURIComponent(requestId)}/evidence/uploads`,
    { 'upload-length': String(file.size), 'upload-metadata': tusMetadata(metadata) },
    null,
  );
  if (reply.status !== 201) throw refusal(reply);
  const uploadId = (JSON.parse(reply.body) as { id: string }).id;
  remember(key, uploadId);
  return { uploadId, offset: 0 };
}

/**
 * Sends the file from where the node says the upload stands, one slice per PATCH; a cut rejects
 * (ApiError status 0) and calling again resumes. Resolves with the item's id.
 */
export async function sendFile(
  requestId: string,
  file: File,
  handle: UploadHandle,
  onProgress: (sent: number, total: number) => void,
): Promise<string> {
  let offset = (await openOffset(handle.uploadId)) ?? handle.offset;
  onProgress(offset, file.size);
  for (;;) {
    const end = Math.min(file.size, offset + PATCH_BYTES);
    const start = offset;
    const reply = await xhr(
      'PATCH',
      `/api/v1/evidence/uploads/${encodeURIComponent(handle.uploadId)}`,
      { 'upload-offset': String(start), 'content-type': 'application/offset+octet-stream' },
      file.slice(start, end),
      (loaded) => onProgress(Math.min(file.size, start + loaded), file.size),
    );
    if (reply.status !== 204) throw refusal(reply);
    offset = Number(reply.headers('upload-offset'));
    onProgress(offset, file.size);
    const itemId = reply.headers('evidence-item');
    if (itemId) {
      remember(rememberKey(requestId, file), null);
      return itemId;
    }
  }
}
