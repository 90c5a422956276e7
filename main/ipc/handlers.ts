import { checkModuleFile, ModuleFileError } from '../devices';
import type { HandlerMap } from './router';
import { UserFacingError } from './router';
import type { AppContext } from './context';
import { checkShareAsTyped } from './share-typing';

/** One handler per channel; each is a thin call into a service. */
export function createHandlers(context: AppContext): HandlerMap {
  const publicSettings = () => {
    const { modules, yubihsmConnectors } = context.settings.get();
    return { modules, yubihsmConnectors };
  };
  return {
    'app.info': () => context.appInfo(),
    'devices.snapshot': () => context.devices.snapshot(),
    'devices.refresh': () => context.devices.refresh(),
    'settings.get': () => publicSettings(),
    'settings.addModule': async ({ path }) => {
      // Nothing from the renderer is trusted as a path: under Electron the person confirms the file in the system's
      // own open dialog (main/app); every host then checks the file itself (module-file.ts).
      const confirm = context.options.capabilities?.confirmModuleFile;
      let chosen = path;
      if (confirm) {
        const confirmed = await confirm(path);
        if (!confirmed) throw new UserFacingError('ModuleNotConfirmed', 'The library was not confirmed, so nothing was added.');
        chosen = confirmed;
      }
      let absolute: string;
      try {
        absolute = checkModuleFile(chosen);
      } catch (error) {
        if (error instanceof ModuleFileError) throw new UserFacingError(error.code, error.message);
        throw error;
      }
      await context.settings.update((s) => {
        if (!s.modules.some((m) => m.path === absolute)) s.modules.push({ path: absolute, name: absolute.split('/').pop() ?? absolute });
      });
      void context.devices.refresh();
      return publicSettings();
    },
    'settings.removeModule': async ({ path }) => {
      await context.settings.update((s) => {
        s.modules = s.modules.filter((m) => m.path !== path);
      });
      void context.devices.refresh();
      return publicSettings();
    },
    'settings.addYubiHsmConnector': async ({ url }) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new UserFacingError('ConnectorUrlInvalid', `“${url}” is not a URL. A yubihsm-connector listens at http://127.0.0.1:12345 by default.`);
      }
      if (parsed.protocol !== 'http:')
        throw new UserFacingError('ConnectorUrlInvalid', 'The connector speaks plain HTTP on this computer: use http://127.0.0.1:<port>.');
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
        throw new UserFacingError(
          'ConnectorNotLoopback',
          'Custodian talks only to a connector on this computer (127.0.0.1); a ceremony workstation has no network.',
        );
      }
      await context.settings.update((s) => {
        if (!s.yubihsmConnectors.includes(parsed.origin)) s.yubihsmConnectors.push(parsed.origin);
      });
      void context.devices.refresh();
      return publicSettings();
    },
    'settings.removeYubiHsmConnector': async ({ url }) => {
      await context.settings.update((s) => {
        s.yubihsmConnectors = s.yubihsmConnectors.filter((c) => c !== url);
      });
      void context.devices.refresh();
      return publicSettings();
    },
    'rehearsal.acknowledgePins': async () => {
      await context.settings.update((s) => {
        s.rehearsalPinsAcknowledged = true;
      });
      return context.appInfo().rehearsal;
    },
    'ceremony.templates': () => context.ceremonies.templates(),
    'ceremony.list': () => context.ceremonies.list(),
    'ceremony.create': ({ template, parameters }) => context.ceremonies.create(template, parameters),
    'ceremony.view': ({ id }) => context.ceremonies.view(id),
    'ceremony.command': ({ id, command }) => context.ceremonies.command(id, command),
    'ceremony.reveal': ({ id, stepId, participantId }) => context.ceremonies.reveal(id, stepId, participantId),
    'ceremony.transcriptModel': ({ id }) => context.ceremonies.transcriptModel(id),
    'ceremony.printTranscript': ({ id, paper }) => context.ceremonies.printTranscript(id, paper),
    'app.chooseFolder': async ({ title }) => {
      const choose = context.options.capabilities?.chooseFolder;
      if (!choose) throw new UserFacingError('FolderPickerUnavailable', 'Type the folder’s path: this host has no folder picker.');
      return { path: await choose(title) };
    },
    'ceremony.transcriptPdf': ({ id, paper }) => context.ceremonies.transcriptPdf(id, paper),
    'ceremony.exportOutputs': ({ id, destination }) => {
      if (!destination) throw new UserFacingError('DestinationMissing', 'Choose the folder on the removable medium to export to.');
      return context.ceremonies.exportOutputs(id, destination);
    },
    'outputs.describeDestination': ({ destination }) => context.ceremonies.describeDestination(destination),
    'shares.check': ({ text }) => checkShareAsTyped(text),
    'ceremony.checkParameters': ({ template, parameters }) => context.ceremonies.checkParameters(template, parameters),
  };
}
