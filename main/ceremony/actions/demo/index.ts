import { createHash, randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprintOf } from '../../../fingerprint';
import type { ActionDefinition, ActionRegistry } from '../registry';

// Demo actions for the dry-run-demo template: they touch no device, so a ceremony team can practise the
// choreography (check-in, quorum, reveal behind the privacy screen, printing) before the real thing.
// CUSTODIAN_DEMO_DELAY_MS makes each one (and each die rolled) take that long, like a slow HSM (default 200 ms; 0 for tests).

function demoDelay(): Promise<void> {
  const ms = Number(process.env.CUSTODIAN_DEMO_DELAY_MS ?? 200);
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

const rollDice: ActionDefinition = {
  description: 'Rolls dice with the computer’s random generator, for everyone to see.',
  async run(ctx, params) {
    const count = typeof params.count === 'number' ? params.count : 3;
    const sides = typeof params.sides === 'number' ? params.sides : 6;
    // one die at a time, each as slow as a device call, so the screen shows "2 of 3 dice rolled" like a multi-key step
    const dice: number[] = [];
    ctx.progress(0, count, 'dice rolled');
    for (let i = 0; i < count; i++) {
      await demoDelay();
      dice.push(randomInt(1, sides + 1));
      ctx.progress(dice.length, count, 'dice rolled');
    }
    return { publicResult: { dice, total: dice.reduce((a, b) => a + b, 0) } };
  },
};

const hashText: ActionDefinition = {
  description: 'Computes the SHA-256 fingerprint of a text, as hex and as words.',
  async run(_ctx, params, inputs) {
    const text = typeof inputs.text === 'string' ? inputs.text : typeof params.text === 'string' ? params.text : '';
    await demoDelay();
    const fingerprint = fingerprintOf(text);
    return { publicResult: { text, fingerprint: fingerprint.hex, words: fingerprint.words.join(' ') } };
  },
};

const makeRehearsalSecret: ActionDefinition = {
  description: 'Makes a throw-away rehearsal secret to practise the privacy screen.',
  async run(_ctx, _params, inputs) {
    await demoDelay();
    const bytes = new Uint8Array(randomBytes(16));
    const commitment = createHash('sha256').update(bytes).digest('hex');
    // a rehearsal PIN may be entered to practise secret input: only its length is reported, never its value
    const pin = inputs.rehearsalPin;
    const enteredPinLength = pin instanceof Uint8Array ? pin.length : 0;
    return { publicResult: { rehearsalSecretCommitment: commitment, enteredPinLength }, reveal: { secret: bytes } };
  },
};

const demoCardName = (ceremonyId: string) => `demo-card-${ceremonyId}.txt`;

const printDemoCard: ActionDefinition = {
  description: 'Writes a one-page demo card into the ceremony outputs.',
  async run(ctx, params) {
    await demoDelay();
    const lines = [
      `REHEARSAL — demo card`,
      `Ceremony: ${ctx.ceremonyId}`,
      `Note: ${typeof params.note === 'string' ? params.note : ''}`,
      `Signature: ____________________`,
    ];
    const file = await ctx.outputs.write(demoCardName(ctx.ceremonyId), lines.join('\n') + '\n');
    return { publicResult: { file: file.name, sha256: file.sha256, pages: 1 } };
  },
  async checkEffect(ctx) {
    // a crash between writing the card and journaling the result leaves the card behind: keep it
    try {
      const bytes = await readFile(join(ctx.outputs.dir, demoCardName(ctx.ceremonyId)));
      return {
        state: 'present',
        detail: 'the card was already written before the interruption',
        publicResult: { file: demoCardName(ctx.ceremonyId), sha256: createHash('sha256').update(bytes).digest('hex'), pages: 1 },
      };
    } catch {
      return { state: 'absent' };
    }
  },
};

export function registerDemoActions(registry: ActionRegistry): void {
  registry
    .register('demo.roll-dice', rollDice)
    .register('demo.hash-text', hashText)
    .register('demo.make-rehearsal-secret', makeRehearsalSecret)
    .register('print.demo-card', printDemoCard);
}
