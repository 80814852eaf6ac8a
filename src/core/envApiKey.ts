/**
 * An API key from the environment, as the official SDKs read it: LANGGRAPH_API_KEY, then
 * LANGSMITH_API_KEY, then LANGCHAIN_API_KEY. A key stored for a deployment always wins. The
 * environment's key is only sent over https or to this machine (loopback), never in clear text
 * over a network.
 */
import { isLoopbackUrl } from './loopback';

const NAMES = ['LANGGRAPH_API_KEY', 'LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY'] as const;

export interface EnvKey {
  name: (typeof NAMES)[number];
  value: string;
}

export function envApiKey(env: Record<string, string | undefined>): EnvKey | undefined {
  for (const name of NAMES) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

export function envKeyAllowedFor(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:' || isLoopbackUrl(url);
  } catch {
    return false;
  }
}
