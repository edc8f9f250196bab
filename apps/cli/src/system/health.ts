import { networkReason } from '../api/client';

/**
 * Polls `GET /health` until it answers 200 or `timeoutMs` passes. `detail` says what was seen
 * last (a status, or why nothing answered), for the error when it never becomes healthy.
 */
export async function waitForHealth(
  apiUrl: string,
  timeoutMs: number,
  signal?: AbortSignal,
  intervalMs = 250,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + timeoutMs;
  let detail = 'no answer yet';
  for (;;) {
    try {
      const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 200) return { ok: true, detail: '200' };
      detail = `GET /health answered ${response.status}`;
    } catch (e) {
      detail = `GET /health: ${networkReason(e)}`;
    }
    if (Date.now() > deadline || signal?.aborted) return { ok: false, detail };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
