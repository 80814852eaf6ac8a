/** The fields a thread list asks for: never `values`, which can be megabytes per thread. */
import type { Thread } from '../../api';

export const THREAD_LIST_FIELDS = ['thread_id', 'created_at', 'updated_at', 'metadata', 'status'] as const;
export type ThreadListItem = Pick<Thread, (typeof THREAD_LIST_FIELDS)[number]>;
