/**
 * `langgraph.toggleBreakpointBefore` / `langgraph.toggleBreakpointAfter` {deploymentUrl,
 * assistantId, node}: what a graph node's context menu ("Pause Before / After This Node") does,
 * the same toggle as a click on the node's margin. The argument is the node's data-vscode-context
 * (src/webview-graph/draw.ts), so it comes from a webview: checked before anything is used. The
 * breakpoint goes to the store; an open graph panel of the assistant shows it from there.
 */
import * as vscode from 'vscode';
import type { BreakpointWhen } from '../../core/graph/breakpoints';
import { isRecord } from '../../shared/isRecord';
import type { Services } from '../services';
import type { ToggleOutcome } from './breakpointStore';

interface NodeArgs {
  deploymentUrl: string;
  assistantId: string;
  node: string;
}

const TITLE: Record<BreakpointWhen, string> = { before: 'Pause Before This Node', after: 'Pause After This Node' };

export function registerBreakpointCommands(services: Services): vscode.Disposable[] {
  const command = (id: string, when: BreakpointWhen) =>
    vscode.commands.registerCommand(id, async (arg?: unknown): Promise<ToggleOutcome> => {
      const outcome = await toggle(services, arg, when);
      if (!outcome.ok) void vscode.window.showWarningMessage(outcome.message);
      return outcome;
    });
  return [command('langgraph.toggleBreakpointBefore', 'before'), command('langgraph.toggleBreakpointAfter', 'after')];
}

/** The node's menu context, or what is wrong with it. Node names are checked by the store (breakpointSupport). */
function parseArgs(arg: unknown, when: BreakpointWhen): NodeArgs | string {
  const a = isRecord(arg) ? arg : {};
  const short = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 512;
  if (!short(a.deploymentUrl)) return `${TITLE[when]} needs a deployment URL.`;
  if (!short(a.assistantId)) return `${TITLE[when]} needs an assistant id.`;
  if (typeof a.node !== 'string') return `${TITLE[when]} needs a node.`;
  return { deploymentUrl: a.deploymentUrl, assistantId: a.assistantId, node: a.node };
}

async function toggle(services: Services, arg: unknown, when: BreakpointWhen): Promise<ToggleOutcome> {
  const args = parseArgs(arg, when);
  if (typeof args === 'string') return { ok: false, message: args };
  const deployment = services.registry.find(args.deploymentUrl);
  if (!deployment) return { ok: false, message: `${TITLE[when]}: ${args.deploymentUrl} is not a configured deployment.` };
  return services.breakpoints.toggleOrSay({ deployment: deployment.id, assistant: args.assistantId }, { node: args.node, when });
}
