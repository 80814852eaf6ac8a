/** An `error` event's or a failed task's words: `{error, message}` on both servers, or its text. */
import { isRecord } from '../../shared/isRecord';
import { prettyJson } from '../messages';
import { truncate } from '../../shared/text';

export function errorText(data: unknown): string {
  if (isRecord(data)) {
    const { error, message } = data;
    if (typeof message === 'string' && message) return typeof error === 'string' && error && error !== 'Error' ? `${error}: ${message}` : message;
    if (typeof error === 'string') return error;
  }
  return typeof data === 'string' ? data : truncate(prettyJson(data), 2_000);
}
