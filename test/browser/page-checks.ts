/**
 * Checks every page must pass, run inside Chromium: axe-core's accessibility rules, and no table
 * that scrolls sideways or clips what it holds (issue 20: "no table hides content at 1280 or
 * 390 px: it fits, or turns into cards"). Used by the page-walk test and the screenshot script.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The two widths every page is checked at: a laptop and a phone. */
export const WIDTHS = [1280, 390] as const;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Runs axe-core on the page as it stands. The source is evaluated through the DevTools protocol
 * (page.evaluate), which the page's Content-Security-Policy does not govern, so the policy under
 * test stays on.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
}

/**
 * What hides content sideways on the page: the document wider than the window, or a table (or
 * the box around it) that scrolls, or a cell, button or link cut off. One line per problem.
 */
export async function sidewaysProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const name = (el: Element): string => {
      const id = el.id ? `#${el.id}` : '';
      const cls =
        typeof el.className === 'string' && el.className ? `.${el.className.split(' ').join('.')}` : '';
      const text = (el.textContent ?? '').trim().slice(0, 30);
      return `${el.tagName.toLowerCase()}${id}${cls} "${text}"`;
    };
    if (document.documentElement.scrollWidth > width + 1)
      problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
    for (const table of document.querySelectorAll('table')) {
      const box = table.getBoundingClientRect();
      if (box.left < -1 || box.right > width + 1)
        problems.push(
          `${name(table)} spans ${Math.round(box.left)}–${Math.round(box.right)}px of ${width}px`,
        );
      for (let el: Element | null = table; el && el !== document.body; el = el.parentElement) {
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          problems.push(`${name(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
      }
      for (const cell of table.querySelectorAll('th, td, button, a')) {
        const rect = cell.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        if (cell.scrollWidth > cell.clientWidth + 1 && getComputedStyle(cell).overflowX !== 'visible')
          problems.push(`${name(cell)} clips its content`);
        if (rect.left < -1 || rect.right > width + 1)
          problems.push(
            `${name(cell)} lies outside the window (${Math.round(rect.left)}–${Math.round(rect.right)}px)`,
          );
      }
    }
    return problems;
  });
}
