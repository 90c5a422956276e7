import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HandlerContext, HandlerTable } from '../../../native/host/handlers';

/** Independent checkers (openssl, OpenSC pkcs11-tool) and a direct caller for the handler table. */

const exec = promisify(execFile);

export async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { env: { ...process.env, ...env } });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}

export async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'custodian-p11-check-'));
}

/** DER-encode an IEEE P1363 (r||s) ECDSA signature for openssl, written here independently of the code under test. */
export function p1363ToDer(sig: Uint8Array): Buffer {
  const half = sig.length / 2;
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = Buffer.from(bytes.subarray(i));
    if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([integer(sig.subarray(0, half)), integer(sig.subarray(half))]);
  const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), len, body]);
}

export interface OpensslVerifyInput {
  pem: string;
  data: Uint8Array;
  signature: Uint8Array;
  algorithm: string;
}

/** openssl's opinion of a signature. */
export async function opensslVerifies(input: OpensslVerifyInput): Promise<boolean> {
  const dir = await scratch();
  const pub = join(dir, 'pub.pem');
  const data = join(dir, 'data.bin');
  const sig = join(dir, 'sig.bin');
  await writeFile(pub, input.pem);
  await writeFile(data, input.data);
  if (input.algorithm === 'EdDSA') {
    await writeFile(sig, input.signature);
    const r = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', data, '-sigfile', sig]);
    return r.code === 0 && /Signature Verified Successfully/.test(r.stdout);
  }
  const hash = /SHA(256|384|512)/.exec(input.algorithm)![1];
  const ecdsa = input.algorithm.startsWith('ECDSA');
  await writeFile(sig, ecdsa ? p1363ToDer(input.signature) : input.signature);
  const args = ['dgst', `-sha${hash}`, '-verify', pub, '-signature', sig];
  if (input.algorithm.startsWith('RSA-PSS')) args.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${Number(hash) / 8}`);
  args.push(data);
  const r = await run('openssl', args);
  return r.code === 0 && /Verified OK/.test(r.stdout);
}

export function caller(table: HandlerTable) {
  const events: Array<{ event: string; payload: unknown }> = [];
  const ctx: HandlerContext = { signal: new AbortController().signal, emit: (event, payload) => events.push({ event, payload }) };
  const call = async <T = unknown>(method: string, params?: unknown): Promise<T> => {
    const handler = table[method];
    if (!handler) throw new Error(`no handler ${method}`);
    return (await handler(params, ctx)) as T;
  };
  return { call, events };
}

/** Resolve to the thrown error (or fail the test if nothing was thrown). */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection, got success');
}
