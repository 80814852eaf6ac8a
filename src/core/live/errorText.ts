/** An `error` event's or a failed task's words: `{error, message}` on both servers, or its text. */
import { taskErrorMessage } from '../../api';
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

/**
 * A failed task's words (`tasks` events, the live view and the graph): Python sends the
 * exception's repr (`ValueError('boom')`), JS an object `{message, name}` (the same as its thread
 * state's task error, there as JSON text). Undefined when the task did not fail.
 */
export function taskErrorText(error: unknown): string | undefined {
  if (error == null) return undefined;
  if (typeof error === 'string') return taskErrorMessage(error);
  if (isRecord(error) && typeof error.message === 'string') return taskErrorMessage(JSON.stringify(error));
  return errorText(error);
}
