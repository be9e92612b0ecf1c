/** A tiny typed client for the e2e suites: real HTTP, JSON bodies parsed, nothing hidden. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export async function call<T = Record<string, unknown>>(url: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

export function uploadForm(bytes: Buffer, filename = 'image.jpg', type = 'image/jpeg', field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}

export const asJson = { accept: 'application/json' };
/** What a browser sends for a form post. */
export const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
