import type { ReadStream } from 'node:tty';

/**
 * A real ceremony run from the CLI asks each secret on the terminal: the prompt names who types it, nothing typed is
 * echoed, and the value lives only in memory. Without a terminal on standard input there is no one to ask, and the
 * run is refused with that reason (secrets never come from the answers file outside rehearsal).
 */
export interface TerminalSecrets {
  /** null when standard input is not a terminal, with the reason */
  ask: ((prompt: string) => Promise<string>) | null;
  /** shows a secret to one person: everyone else looks away first, and the screen is wiped after; null without a terminal */
  show: ((request: { who: string; name: string; title: string; value: string }) => Promise<void>) | null;
  reason: string;
}

/** ANSI: clear the screen and the scrollback, cursor home (a share must not stay readable above the prompt) */
const WIPE = '\x1b[2J\x1b[3J\x1b[H';

export function terminalSecrets(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): TerminalSecrets {
  const tty = input as ReadStream;
  if (!tty.isTTY || typeof tty.setRawMode !== 'function') {
    return { ask: null, show: null, reason: 'standard input is not a terminal (run custodian run in a terminal, with no input redirected)' };
  }
  return {
    ask: (prompt) => readHidden(tty, output, prompt),
    show: async ({ who, name, title, value }) => {
      output.write(`\n${title}\n${who} (${name}) alone at the screen: everyone else looks away.\n`);
      await readHidden(tty, output, `${who} (${name}): press Enter to show the secret`);
      const lines = value.match(/.{1,64}/g) ?? [value];
      output.write(`\n${lines.map((l) => `    ${l}`).join('\n')}\n\n`);
      try {
        await readHidden(tty, output, `Compare it with your card or write it down, then press Enter: the screen is wiped`);
      } finally {
        output.write(WIPE);
      }
    },
    reason: '',
  };
}

function readHidden(input: ReadStream, output: NodeJS.WriteStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chars: string[] = [];
    const wasRaw = input.isRaw;
    // echo off before the prompt appears: whoever starts typing when they see it is never echoed
    input.setRawMode(true);
    output.write(`${prompt} (not shown as you type), then Enter: `);
    input.resume();
    input.setEncoding('utf8');
    const done = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      const value = chars.join('');
      chars.length = 0;
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(Object.assign(new Error('Typing the secret was cancelled.'), { code: 'SecretCancelled' }));
        if (ch === '\u007f' || ch === '\b') chars.pop();
        else if (ch >= ' ') chars.push(ch);
      }
    };
    input.on('data', onData);
  });
}
