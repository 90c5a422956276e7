import { stringify } from 'yaml';

/**
 * Building blocks shared by the token and PIN templates (token-init, user-pin-reset, pin-change): their steps depend
 * on N and M (one reveal and one card per custodian, one share entry per step), so the scripts are built here
 * step by step, each step together with what a rehearsal answers file says for it.
 */

export type Obj = Record<string, unknown>;

/** One script step and, for the answers example, who confirms it and what is typed on it. */
export interface BuiltStep {
  step: Obj;
  answer?: { confirmations?: string[]; input?: { by: string; values: Record<string, string | number | boolean> } };
}

export const ADMIN = 'administrator';
export const WITNESS = 'witness-1';

export function custodian(i: number): string {
  return `custodian-${i}`;
}

export function intParam(parameters: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = parameters[name];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`The parameter "${name}" must be a whole number from ${min} to ${max}.`);
  return value;
}

export function stringParam(parameters: Record<string, unknown>, name: string, fallback: string): string {
  const raw = parameters[name];
  return typeof raw === 'string' ? raw : fallback;
}

export function boolParam(parameters: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const raw = parameters[name];
  return typeof raw === 'boolean' ? raw : raw === 'true' ? true : raw === 'false' ? false : fallback;
}

/** The user PIN holder must be one of the ceremony's seats. */
export function holderParam(parameters: Record<string, unknown>, n: number): string {
  const holder = stringParam(parameters, 'userPinHolder', ADMIN);
  const seats = [ADMIN, WITNESS, ...Array.from({ length: n }, (_, i) => custodian(i + 1))];
  if (!seats.includes(holder)) throw new RangeError(`The user PIN holder must be one of ${seats.join(', ')}.`);
  return holder;
}

export function announce(id: string, title: string, text: string): BuiltStep {
  return { step: { id, kind: 'announce', title, text }, answer: { confirmations: [ADMIN] } };
}

export function action(
  id: string,
  title: string,
  name: string,
  params: Obj,
  extra: { text?: string; approve?: Obj; inputs?: Obj } = {},
  answer?: BuiltStep['answer'],
): BuiltStep {
  const step: Obj = { id, kind: 'action', title, ...(extra.text ? { text: extra.text } : {}), action: name, params };
  if (extra.inputs) step.inputs = extra.inputs;
  if (extra.approve) step.approve = extra.approve;
  const confirmations = extra.approve ? approvers(extra.approve) : undefined;
  return { step, answer: confirmations || answer ? { ...(confirmations ? { confirmations } : {}), ...answer } : undefined };
}

function approvers(quorum: Obj): string[] {
  const ids: string[] = [];
  if (quorum.administrator) ids.push(ADMIN);
  if (quorum.witnesses) ids.push(WITNESS);
  for (let i = 1; i <= Number(quorum.custodians ?? 0); i++) ids.push(custodian(i));
  return ids;
}

export function show(id: string, title: string, value: string, text?: string): BuiltStep {
  return { step: { id, kind: 'show', title, ...(text ? { text } : {}), value, format: 'text' }, answer: { confirmations: [WITNESS] } };
}

export function confirmStep(id: string, title: string, text: string, quorum: Obj): BuiltStep {
  return { step: { id, kind: 'confirm', title, text, quorum }, answer: { confirmations: approvers(quorum) } };
}

/** A new PIN typed twice by its holder, on the step that sends it (so it is held only for that step). */
export function newPinFields(what: string): Obj[] {
  return [
    { name: 'newPin', label: `New ${what}`, type: 'text', secret: true },
    { name: 'newPinAgain', label: `New ${what} again`, type: 'text', secret: true },
  ];
}

/**
 * One share typed by a custodian, checked at once. `readBack`: in rehearsal the field may be left empty to read the
 * share back from memory (restore rehearsals, practice shares); a real reset or rotation always requires it.
 */
export function shareInputs(from: string, readBack = true): Obj {
  return {
    from,
    fields: [
      { name: 'share', label: 'Your share, every group as printed on your card', type: 'text', secret: true, journal: 'commitment', optional: readBack },
    ],
  };
}

/** After a split: each custodian sees only their share behind the privacy screen, then their card is printed. */
export function revealAndCardSteps(prefix: string, splitStep: string, vaultKey: string, n: number, what: string): BuiltStep[] {
  const steps: BuiltStep[] = [];
  for (let i = 1; i <= n; i++) {
    steps.push({
      step: {
        id: `${prefix}reveal-${i}`,
        kind: 'reveal',
        title: `Custodian ${i}: your share of the ${what}`,
        text: `Everyone except custodian ${i} looks away.`,
        secret: { step: splitStep, key: `share-${i}` },
        to: custodian(i),
      },
    });
    steps.push(action(`${prefix}card-${i}`, `Print custodian ${i}’s share card`, 'shares.print-card', { vaultKey, index: i, custodian: custodian(i) }));
  }
  return steps;
}

/**
 * The restore rehearsal: every share just printed is typed back by its custodian and checked, in groups of M, and each
 * group must rebuild exactly the secret that was split (the last group is filled up with earlier shares).
 */
export function restoreRehearsalSteps(prefix: string, splitStep: string, vaultKey: string, n: number, m: number): BuiltStep[] {
  const steps: BuiltStep[] = [];
  const groups = Math.ceil(n / m);
  for (let g = 0; g < groups; g++) {
    const collector = `${vaultKey}-rehearsal-${g + 1}`;
    for (let k = 0; k < m; k++) {
      const index = ((g * m + k) % n) + 1;
      steps.push(
        action(
          `${prefix}rehearse-${g + 1}-${index}`,
          `Restore rehearsal: custodian ${index} types their share back`,
          'shares.accept',
          {
            collectorVaultKey: collector,
            shareSet: `\${steps.${splitStep}.result.shareSet}`,
            expectedFrom: 'the set just printed',
            rehearsalCopyOf: vaultKey,
            custodianIndex: index,
          },
          { inputs: shareInputs(custodian(index)) },
        ),
      );
    }
    steps.push(
      action(`${prefix}rehearse-${g + 1}-rebuild`, `Restore rehearsal: group ${g + 1} rebuilds the secret`, 'shares.combine', {
        collectorVaultKey: collector,
        compareWith: vaultKey,
        m,
      }),
    );
  }
  return steps;
}

/** M custodians (any of them) enter their shares one per step, each checked as entered. */
export function collectSteps(prefix: string, m: number, shareSetRef: string, collector: string, practiceCopyOf?: string): BuiltStep[] {
  return Array.from({ length: m }, (_, k) =>
    action(
      `${prefix}share-${k + 1}`,
      `Share ${k + 1} of ${m}: a custodian enters their share`,
      'shares.accept',
      {
        collectorVaultKey: collector,
        shareSet: shareSetRef,
        expectedFrom: 'the SO-PIN share set named at the start',
        ...(practiceCopyOf ? { rehearsalCopyOf: practiceCopyOf, custodianIndex: k + 1 } : {}),
      },
      {
        inputs: shareInputs('custodians', Boolean(practiceCopyOf)),
        text: 'The custodian types the share alone; the others look away. It is checked the moment it is entered.',
      },
    ),
  );
}

export interface ScriptParts {
  header: string;
  metadata: Obj;
  roles: Obj;
  parameters: Obj;
  steps: BuiltStep[];
}

export function scriptText(parts: ScriptParts): string {
  // no devices section: the module is the one configured in Custodian, the token is named by a parameter
  const script = { metadata: parts.metadata, roles: parts.roles, parameters: parts.parameters, steps: parts.steps.map((s) => s.step) };
  return `${parts.header}\n${stringify(script, { lineWidth: 0 })}`;
}

export function checkIns(n: number, custodiansPresent: number[] = Array.from({ length: n }, (_, i) => i + 1)) {
  return [
    { participant: ADMIN, name: 'Ada Admin', identityCheck: 'Passport checked against the roster', checkedBy: WITNESS },
    ...custodiansPresent.map((i) => ({ participant: custodian(i), name: `Custodian ${i}`, identityCheck: 'Staff badge checked', checkedBy: ADMIN })),
    { participant: WITNESS, name: 'Wendy Witness', identityCheck: 'Passport checked against the roster', checkedBy: ADMIN },
  ];
}

export function answersText(header: string, parameters: Obj, steps: BuiltStep[], custodiansPresent: ReturnType<typeof checkIns>): string {
  const answers: Obj = {
    rehearsal: true,
    parameters,
    checkIns: custodiansPresent,
    steps: Object.fromEntries(steps.filter((s) => s.answer).map((s) => [s.step.id, s.answer])),
  };
  return `${header}\n${stringify(answers, { lineWidth: 0 })}`;
}
