/** Words for the low-level ways a connection fails (undici and Node error codes). */

export function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function describeNetworkError(code: string | undefined, url: string, error: unknown): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `Cannot connect to ${url}: connection refused. Is the server running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot find the host of ${url} (DNS lookup failed).`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `Cannot connect to ${url}: the connection timed out.`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return `The connection to ${url} was lost before the answer was complete (did the server stop?).`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The TLS certificate of ${url} was refused (${code}).`;
    default: {
      const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
      return `Cannot talk to ${url}${code ? ` (${code})` : ''}${detail}`;
    }
  }
}
