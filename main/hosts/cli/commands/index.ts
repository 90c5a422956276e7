/**
 * The CLI's commands, by name, each loaded only when it runs: `custodian templates` loads the templates list and a
 * catalogue written at build time, never the ceremony engine, the actions or the Chromium printer that `run` needs.
 */
import type { CliCommand } from '../io';

export const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  share: async () => (await import('./share')).shareCommand,
  verify: async () => (await import('./verify')).verifyCommand,
  devices: async () => (await import('./devices')).devicesCommand,
  simulator: async () => (await import('./simulator')).simulatorCommand,
  templates: async () => (await import('./templates')).templatesCommand,
  template: async () => (await import('./template')).templateCommand,
  run: async () => (await import('./run')).runCommand,
};
