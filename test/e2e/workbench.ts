/** Helpers for end-to-end checks of the thread panel, on the suite's shared workbench (setup.ts). */
import type { Frame, Page } from 'playwright-core';
import { waitFor } from '../harness/until';
import { runCommand, SELECTORS } from '../runner/browser';

/** VS Code 1.139's default themes (the 2026 ones) and its high-contrast one. */
export const THEMES = {
  dark: { name: 'Dark 2026', bodyClass: 'vscode-dark', workbenchClass: 'vs-dark' },
  light: { name: 'Light 2026', bodyClass: 'vscode-light', workbenchClass: 'vs' },
  highContrast: { name: 'Dark High Contrast', bodyClass: 'vscode-high-contrast', workbenchClass: 'hc-black' },
} as const;
export type ThemeName = keyof typeof THEMES;

/** Picks a colour theme the way a person does (Preferences: Color Theme) and waits for the webview to get it. */
export async function useTheme(page: Page, theme: ThemeName): Promise<Frame> {
  await pickTheme(page, theme);
  const switched = async () => {
    const frame = await panelFrame(page);
    return (await frame.evaluate((c) => document.body.classList.contains(c), THEMES[theme].bodyClass).catch(() => false)) && frame;
  };
  return waitFor(`the panel to switch to the ${theme} theme`, switched, { timeoutMs: 30_000, everyMs: 200 });
}

/** Picks a colour theme with no panel open: waits for the workbench itself to wear it. */
export async function useWorkbenchTheme(page: Page, theme: ThemeName): Promise<void> {
  await pickTheme(page, theme);
  await waitFor(`the workbench to switch to the ${theme} theme`, () => workbenchTheme(page).then((t) => t === theme), { timeoutMs: 30_000, everyMs: 200 });
}

/** Which of THEMES the workbench wears now, by its theme-type class (undefined: none of them). */
export async function workbenchTheme(page: Page): Promise<ThemeName | undefined> {
  const classes = await page.locator(SELECTORS.workbench).first().evaluate((w) => Array.from(w.classList));
  return (Object.keys(THEMES) as ThemeName[]).find((t) => classes.includes(THEMES[t].workbenchClass));
}

async function pickTheme(page: Page, theme: ThemeName): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator(SELECTORS.quickInput);
  await input.fill(THEMES[theme].name);
  await page.locator(SELECTORS.quickInputRows, { hasText: THEMES[theme].name }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The frame of the thread panel's own document (inside VS Code's webview host frames). */
export function panelFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const withApp = async () => {
    for (const frame of page.frames()) {
      const hasApp = await frame.evaluate(() => Boolean(document.querySelector('#app .page, #app .load-error'))).catch(() => false);
      if (hasApp) return frame;
    }
    return undefined;
  };
  return waitFor('a thread panel webview frame with content', withApp, { timeoutMs, everyMs: 200 });
}

/** Opens a thread through the palette: the command, then the thread in the recent list (or by id). */
export async function openThreadFromPalette(page: Page, thread: { title?: string; id: string }): Promise<void> {
  await runCommand(page, 'LangGraph: Open Thread Result');
  const input = page.locator(SELECTORS.quickInput);
  const enterId = page.locator(SELECTORS.quickInputRows, { hasText: 'Enter a thread id' }).first();
  await enterId.waitFor({ state: 'visible', timeout: 30_000 });
  if (thread.title) {
    await input.fill(thread.title);
    await page.locator(SELECTORS.quickInputRows, { hasText: thread.title }).first().click({ timeout: 30_000 });
    return;
  }
  await enterId.click();
  await input.fill(thread.id);
  await page.keyboard.press('Enter');
}
