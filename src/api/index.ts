/** The Agent Server client. No vscode import: this folder could be published on its own. */
export { AgentServerClient } from './client';
export { ApiError, isApiError, type ApiErrorKind, type ServerIssue } from './errors';
export type { TransportOptions } from './http';
export { parseDeploymentUrl } from './http';
export { MAX_LISTED, type AssistantList, type GraphOptions } from './assistants';
export type { Page } from './page';
export type { RunCreate, RunCommand, ThreadField, ThreadSearch, MultitaskStrategy, StreamMode } from './requests';
export type { FollowOptions, RunResult, StreamOptions } from './runs';
export type { StateUpdate, ThreadSummary, ThreadsByIds } from './threads';
export { familyOf, type ServerFamily } from './serverFamily';
export type { StreamEvent } from './sse';
export { backoffDelay, sleep, type BackoffOptions } from './backoff';
export { taskErrorMessage } from './runError';
export * from './schemas';
