import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { answersExample, getTemplate, runScript, type RunScriptResult } from '../../../main/ceremony';
import type { AppContext } from '../../../main/ipc/app-context';
import { cupsSharePrinter } from '../../../main/devices/share-printer';
import { shareFromCardPdf } from '../backup/card-text';
import { typedAtTheTerminal } from '../yubihsm-ceremonies/helpers';

import { openAppContext, servicesOf as cliServices } from '../../fixtures/harness';

export { ROOT, servedSimulator } from '../../fixtures/harness';

/**
 * The fake CUPS `lp` of the share-printer test, keeping what it is sent in a folder of its own — the paper, outside
 * the data folder — so the test can read the cards back as the custodians would.
 */
export function fakeLp(): { path: string; paper: string } {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-lp-'));
  const paper = join(dir, 'paper');
  const path = join(dir, 'lp');
  writeFileSync(path, `#!/bin/sh\nmkdir -p ${paper}\nn=$(printf '%s' "$2" | sed -n 's/.*share card \\([0-9]*\\).*/\\1/p')\ncat > ${paper}/card-$n.pdf\n`);
  chmodSync(path, 0o755);
  return { path, paper };
}

export function printedCards(paper: string): Record<number, string> {
  const cards: Record<number, string> = {};
  if (!existsSync(paper)) return cards;
  for (const file of readdirSync(paper)) {
    const m = /^card-(\d+)\.pdf$/.exec(file);
    if (m) cards[Number(m[1])] = shareFromCardPdf(join(paper, file));
  }
  return cards;
}

export async function contextFor(home: string, lp: string): Promise<AppContext> {
  return openAppContext(home, { sharePrinter: cupsSharePrinter({ lpPath: lp })! });
}

/** The CLI's services with the device judge and every printer the context has (the fake lp's share printer). */
export function servicesOf(context: AppContext): Record<string, unknown> {
  return cliServices(context, { deviceJudge: context.deviceJudge, ...context.printingServices() });
}

/**
 * Runs a template as a real ceremony is run from the CLI: public answers from the file, every secret typed — the
 * passwords and PINs as the answers example has them, each share from its custodian's printed card.
 */
export async function runReal(
  context: AppContext,
  dir: string,
  template: string,
  parameters: Record<string, string | number | boolean>,
  paper: string,
  answersText = answersExample(template, parameters)!,
): Promise<{ result: RunScriptResult; prompts: string[]; shownTo: string[] }> {
  const text = getTemplate(template, parameters)!.text;
  const answers = parse(answersText) as { steps: Record<string, { input?: { by: string; values: Record<string, unknown> } }> };
  const script = getTemplate(template, parameters)!.script;
  for (const step of script.steps) {
    const share = (step as { inputs?: { fields: Array<{ name: string }> } }).inputs?.fields.some((f) => f.name === 'share');
    const index = (step as { params?: { custodianIndex?: number } }).params?.custodianIndex;
    if (share && index !== undefined) answers.steps[step.id] = { input: { by: `custodian-${index}`, values: {} } };
  }
  const terminal = typedAtTheTerminal(text, answers);
  const shownTo: string[] = [];
  const result = await runScript(text, terminal.answersText, {
    dir,
    rehearsal: false,
    services: servicesOf(context),
    askSecret: async (request) => {
      if (request.field === 'share') return printedCards(paper)[Number(request.participantId.split('-')[1])] ?? '';
      return terminal.askSecret(request);
    },
    // a real ceremony shows each reveal to its holder alone on the terminal: here it is seen, and not kept
    showSecret: async (request) => {
      shownTo.push(`${request.stepId}: ${request.who} (${request.name})`);
    },
  });
  return { result, prompts: terminal.prompts, shownTo };
}

export function journalLines(dir: string): Array<{ type: string; data: Record<string, unknown> }> {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** The script with `rehearsal: true` in its metadata: "this script runs only on rehearsal devices". */
export function rehearsalOnly(scriptText: string): string {
  return scriptText.replace(/^metadata:\n/m, 'metadata:\n  rehearsal: true\n');
}
