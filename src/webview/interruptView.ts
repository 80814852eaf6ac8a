/**
 * An interrupted thread: what the graph asked (the interrupt's value) and a box to answer with a
 * JSON value. The value is checked here, so mistakes show at once, and again by the extension.
 */
import { button, el } from './dom';
import { plainBlock } from './markdown';
import { isBreakpointStop, parseResumeValue, prettyJson, type InterruptView, type ThreadView } from './protocol';
import { post } from './vscodeApi';

let status: HTMLElement | undefined;
let submit: HTMLButtonElement | undefined;
let input: HTMLTextAreaElement | undefined;

export function interruptSection(view: ThreadView): HTMLElement | null {
  if (isBreakpointStop({ status: view.thread.status, next: view.state.next, interruptCount: view.interrupts.length })) return breakpointSection(view);
  if (!view.interrupts.length) return null;
  const canResume = view.thread.status === 'interrupted';
  const section = el('section', { class: 'interrupt', attrs: { 'aria-labelledby': 'interrupt-h' } }, [
    el('h2', { text: canResume ? 'Waiting for your input' : 'Interrupts', attrs: { id: 'interrupt-h' } }),
    ...view.interrupts.map(interruptValue),
  ]);
  if (!canResume) return section;

  input = el('textarea', {
    class: 'resume-input',
    attrs: { id: 'resume-input', rows: '3', spellcheck: 'false', placeholder: '"yes"', 'aria-describedby': 'resume-status' },
  });
  status = el('div', { class: 'resume-status', attrs: { id: 'resume-status', role: 'status' } });
  submit = button('Resume', () => resume(), { class: 'primary' });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) resume();
  });
  input.addEventListener('input', () => setStatus('', false));
  const options = optionsOf(view.interrupts[0]!.value);
  const parts: (HTMLElement | null)[] = [
    el('label', { text: 'Resume with a JSON value', attrs: { for: 'resume-input' } }),
    options.length
      ? el('div', { class: 'options' }, [
          el('span', { class: 'muted', text: 'Options: ' }),
          ...options.map((o) =>
            button(o, () => {
              input!.value = JSON.stringify(o);
              input!.focus();
            }, { class: 'secondary small' }),
          ),
        ])
      : null,
    input,
    el('div', { class: 'resume-row' }, [submit, el('span', { class: 'muted', text: 'Ctrl+Enter. Starts a new run with command: {resume: value}.' })]),
    status,
  ];
  for (const part of parts) if (part) section.append(part);
  return section;
}

/** Stopped at a breakpoint: no question to answer, only Continue or Step (the extension's commands). */
function breakpointSection(view: ThreadView): HTMLElement {
  const next = view.state.next.join(', ');
  const after = view.pausedAfter?.length ? `After ${view.pausedAfter.join(', ')} \u00b7 ` : '';
  return el('section', { class: 'interrupt breakpoint', attrs: { 'aria-labelledby': 'interrupt-h' } }, [
    el('h2', { text: 'Paused at a breakpoint', attrs: { id: 'interrupt-h' } }),
    el('div', { class: 'interrupt-value' }, [el('p', { class: 'question', text: `${after}Next: ${next}` })]),
    el('div', { class: 'resume-row' }, [
      button('Continue', () => post({ type: 'command', name: 'continueRun' }), { class: 'primary', title: 'Run on from here (a run with no input on this thread)' }),
      button('Step Over Next Node', () => post({ type: 'command', name: 'stepRun' }), { class: 'secondary', title: `Run ${next} and pause after it` }),
      el('span', { class: 'muted', text: 'The run ended at a breakpoint set in the graph panel.' }),
    ]),
  ]);
}

/** The extension's answer to a resume: a started run, or why not. */
export function resumeResult(ok: boolean, message: string): void {
  if (submit) submit.disabled = false;
  setStatus(message, !ok);
}

function resume(): void {
  if (!input || !submit || submit.disabled) return;
  const parsed = parseResumeValue(input.value);
  if (!parsed.ok) {
    setStatus(parsed.message, true);
    input.focus();
    return;
  }
  submit.disabled = true;
  setStatus('Resuming…', false);
  post({ type: 'resume', json: input.value });
}

function setStatus(text: string, isError: boolean): void {
  if (!status || !input) return;
  status.textContent = text;
  status.classList.toggle('error-text', isError);
  if (isError) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function interruptValue(interrupt: InterruptView): HTMLElement {
  const value = interrupt.value as Record<string, unknown> | null;
  const question = value && typeof value === 'object' && typeof value.question === 'string' ? value.question : undefined;
  return el('div', { class: 'interrupt-value' }, [
    question ? el('p', { class: 'question', text: question }) : null,
    typeof interrupt.value === 'string' ? el('p', { class: 'question', text: interrupt.value }) : plainBlock(prettyJson(interrupt.value), 'plain json'),
    el('div', { class: 'muted', text: [interrupt.task ? `node ${interrupt.task}` : '', interrupt.id ? `interrupt ${interrupt.id}` : ''].filter(Boolean).join(' · ') }),
  ]);
}

function optionsOf(value: unknown): string[] {
  const options = value && typeof value === 'object' ? (value as Record<string, unknown>).options : undefined;
  return Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string').slice(0, 10) : [];
}
