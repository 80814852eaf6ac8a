/**
 * Deployments as the settings describe them, checked and given stable ids. No vscode import:
 * the UI reads the setting and hands the raw value here.
 */
import { parseDeploymentUrl } from '../api';

export interface Deployment {
  /** Stable across reloads and renames of other entries: the normalized URL. */
  readonly id: string;
  readonly name: string;
  /** Normalized: no trailing slash, no query, no credentials. */
  readonly url: string;
}

export interface DeploymentProblem {
  index: number;
  message: string;
}

export interface ParsedDeployments {
  deployments: Deployment[];
  problems: DeploymentProblem[];
}

export const DEFAULT_DEPLOYMENTS = [{ name: 'Local dev server', url: 'http://127.0.0.1:2024' }] as const;

/**
 * Reads the `langgraph.deployments` setting. Entries that are not usable are reported, not
 * dropped silently; a URL listed twice is kept once (its first name wins).
 */
export function parseDeployments(raw: unknown): ParsedDeployments {
  const deployments: Deployment[] = [];
  const problems: DeploymentProblem[] = [];
  if (raw === undefined || raw === null) return { deployments, problems };
  if (!Array.isArray(raw)) {
    problems.push({ index: -1, message: 'langgraph.deployments must be a list of {"name", "url"} objects.' });
    return { deployments, problems };
  }
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const where = `langgraph.deployments[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push({ index, message: `${where} must be an object with "name" and "url".` });
      return;
    }
    const { name, url } = entry as { name?: unknown; url?: unknown };
    if (typeof url !== 'string' || !url.trim()) {
      problems.push({ index, message: `${where} has no "url".` });
      return;
    }
    let normalized: string;
    try {
      normalized = normalizeUrl(url);
    } catch (error) {
      problems.push({ index, message: `${where}: ${(error as Error).message}` });
      return;
    }
    if (seen.has(normalized)) return;
    seen.add(normalized);
    const label = typeof name === 'string' && name.trim() ? name.trim() : normalized;
    deployments.push({ id: normalized, name: label, url: normalized });
  });
  return { deployments, problems };
}

export function normalizeUrl(url: string): string {
  const parsed = parseDeploymentUrl(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * A URL as deployment ids spell it, so that `…:2024/` and `…:2024` name one deployment; what is
 * not a URL stays as it is (no configured deployment has it, and lookups then find none).
 */
export function canonicalUrl(url: string): string {
  try {
    return normalizeUrl(url);
  } catch {
    return url;
  }
}
