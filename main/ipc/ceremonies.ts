import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ceremony, CeremonyError, getTemplate, listTemplates, templateForms, type CeremonyView, type EngineOptions } from '../ceremony';
import type { JsonValue } from '../journal';
import type { CeremonyCommand, CeremonySummary } from '../../preload/api';
import { UserFacingError } from './router';
import { parameterProblems } from './parameter-checks';
import { checkExportDestination, type ExportMedium } from './export-medium';
import { renderTranscriptHtml, renderTranscriptPdf, transcriptModelFromJournal, type PdfPrinter, type TranscriptModel } from '../transcript';

const ID_PATTERN = /^[A-Za-z0-9._-]{1,80}$/;

export interface CeremonyServiceOptions {
  dir: string;
  /** engine options every ceremony gets: host services for actions, app version, devices present */
  engine: () => Promise<EngineOptions>;
  /** turns a template's script into the script run here (the device section pointed at this machine's token) */
  prepareScript?: (templateName: string, scriptText: string) => string;
  onChanged?: (id: string) => void;
  /** called once a ceremony completed or was aborted (drop its sessions and vault entries) */
  onFinished?: (id: string) => void;
  /** the host's system print dialog (Electron only) */
  printHtml?: (html: string, paper: 'A4' | 'Letter') => Promise<boolean>;
  /** prints HTML to PDF: Chromium under the browser host and CLI, printToPDF under Electron */
  printer: () => PdfPrinter;
}

/**
 * The ceremonies in the data folder: ceremonies/<id>/journal.jsonl and outputs/. Open ceremonies stay in memory;
 * one that is not in memory (after a restart, a crash) is reopened from its journal on first use, which records
 * the reopening and any step the stop interrupted.
 */
export class CeremonyService {
  private readonly open = new Map<string, Ceremony>();
  private readonly opening = new Map<string, Promise<Ceremony>>();

  constructor(private readonly options: CeremonyServiceOptions) {}

  templates() {
    return templateForms().map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description ?? '',
      parameters: Object.entries(t.parameters).map(([name, p]) => ({
        name,
        type: p.type,
        description: p.description ?? '',
        default: p.default ?? null,
        choices: p.choices ?? null,
      })),
    }));
  }

  /** The form's values checked before anyone checks in, with the rules the preflight applies; and what they make. */
  checkParameters(templateName: string, parameters: Record<string, unknown>): { problems: { code: string; message: string }[]; description: string } {
    const problems = parameterProblems(templateName, parameters);
    let description = '';
    try {
      description = getTemplate(templateName, parameters)?.script.metadata.description ?? '';
    } catch {
      description = listTemplates().find((t) => t.name === templateName)?.description ?? '';
    }
    return { problems, description };
  }

  async list(): Promise<CeremonySummary[]> {
    if (!existsSync(this.options.dir)) return [];
    const summaries: CeremonySummary[] = [];
    for (const entry of await readdir(this.options.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !ID_PATTERN.test(entry.name)) continue;
      const journal = join(this.options.dir, entry.name, 'journal.jsonl');
      if (!existsSync(journal)) continue;
      try {
        const view = (await this.get(entry.name)).view();
        summaries.push({
          id: view.ceremonyId,
          title: view.title,
          template: entry.name.split('-2')[0],
          status: view.status,
          rehearsal: view.rehearsal,
          updatedAt: (await stat(journal)).mtime.toISOString(),
          progress: view.current ? { step: view.current.index + 1, of: view.steps.length, title: view.current.title } : null,
        });
      } catch (error) {
        summaries.push({
          id: entry.name,
          title: `Cannot be opened: ${(error as Error).message}`,
          template: '?',
          status: 'damaged',
          rehearsal: false,
          updatedAt: (await stat(journal)).mtime.toISOString(),
          progress: null,
        });
      }
    }
    return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async create(templateName: string, parameters: Record<string, unknown> = {}): Promise<CeremonyView> {
    const template = getTemplate(templateName, parameters);
    if (!template) throw new UserFacingError('UnknownTemplate', `There is no ceremony template called “${templateName}”.`);
    const problems = parameterProblems(templateName, parameters);
    if (problems.length > 0) throw new UserFacingError('ParameterInvalid', problems.map((p) => p.message).join(' '));
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const id = `${templateName}-${stamp}-${randomBytes(2).toString('hex')}`;
    const dir = join(this.options.dir, id);
    await mkdir(this.options.dir, { recursive: true });
    const script = this.options.prepareScript ? this.options.prepareScript(templateName, template.text) : template.text;
    const ceremony = await Ceremony.create(script, parameters as Record<string, JsonValue>, dir, { ...(await this.engineFor(id)), ceremonyId: id });
    this.open.set(id, ceremony);
    return ceremony.view();
  }

  async view(id: string): Promise<CeremonyView> {
    return (await this.get(id)).view();
  }

  async command(id: string, command: CeremonyCommand): Promise<CeremonyView> {
    const ceremony = await this.get(id);
    const view = await this.dispatch(ceremony, command);
    this.options.onChanged?.(id);
    // A finished ceremony keeps no secret in memory, whatever its steps left behind.
    if (view.status === 'completed' || view.status === 'aborted') this.options.onFinished?.(id);
    return view;
  }

  async reveal(id: string, stepId: string, participantId: string) {
    const secret = await (await this.get(id)).takeReveal(stepId, participantId);
    return { value: secret.value, format: secret.format };
  }

  /** Prints the transcript from the journal (the journal is the source of truth) to <ceremony>/transcript.pdf. */
  async transcriptPdf(id: string, paper: 'A4' | 'Letter'): Promise<{ path: string; pages: number }> {
    const ceremony = await this.get(id);
    return writeTranscript(this.dirOf(id), paper, { rehearsal: ceremony.view().rehearsal, printer: this.options.printer() });
  }

  /** The transcript as the on-screen preview shows it: built from the journal, like the PDF. */
  async transcriptModel(id: string): Promise<TranscriptModel> {
    const ceremony = await this.get(id);
    return transcriptModelFromJournal(join(this.dirOf(id), 'journal.jsonl'), { rehearsal: ceremony.view().rehearsal });
  }

  /** The Print button: the system print dialog with the same pages as the PDF. */
  async printTranscript(id: string, paper: 'A4' | 'Letter'): Promise<{ printed: boolean }> {
    if (!this.options.printHtml) {
      throw new UserFacingError(
        'PrintDialogUnavailable',
        'The system print dialog is part of the Custodian desktop app. Here, print the transcript PDF instead.',
      );
    }
    const html = renderTranscriptHtml(await this.transcriptModel(id), { paper });
    return { printed: await this.options.printHtml(html, paper) };
  }

  dirOf(id: string): string {
    if (!ID_PATTERN.test(id)) throw new UserFacingError('InvalidId', 'That is not a ceremony id.');
    return join(this.options.dir, id);
  }

  /**
   * Copies outputs/ (and the transcript when printed) into <folder>/<id>, in a folder the user chose that must exist
   * (it is never created), never overwriting a file there; says which device and file system that is.
   */
  async exportOutputs(id: string, destination: string): Promise<{ destination: string; files: string[]; medium: ExportMedium }> {
    const source = join(this.dirOf(id), 'outputs');
    const { folder, medium } = checkExportDestination(destination, this.options.dir);
    const target = join(folder, id);
    if (existsSync(target)) throw new UserFacingError('ExportExists', `${target} already exists; choose another folder so nothing is overwritten.`);
    await mkdir(target);
    await cp(source, join(target, 'outputs'), { recursive: true, errorOnExist: true, force: false });
    const transcript = join(this.dirOf(id), 'transcript.pdf');
    if (existsSync(transcript)) await cp(transcript, join(target, 'transcript.pdf'), { errorOnExist: true, force: false });
    await cp(join(this.dirOf(id), 'journal.jsonl'), join(target, 'journal.jsonl'), { errorOnExist: true, force: false });
    const files = (await readdir(target, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    return { destination: target, files, medium };
  }

  /** What the screen shows before an export: the folder's device, file system and free space, and the system-disk warning. */
  describeDestination(destination: string): { folder: string; medium: ExportMedium } {
    return checkExportDestination(destination, this.options.dir);
  }

  async closeAll(): Promise<void> {
    for (const ceremony of this.open.values()) await ceremony.release();
    this.open.clear();
  }

  async get(id: string): Promise<Ceremony> {
    const dir = this.dirOf(id);
    const existing = this.open.get(id);
    if (existing) return existing;
    let pending = this.opening.get(id);
    if (!pending) {
      if (!existsSync(join(dir, 'journal.jsonl'))) throw new UserFacingError('UnknownCeremony', `No ceremony ${id} in this data folder.`);
      pending = this.engineFor(id)
        .then((engine) => Ceremony.open(dir, engine))
        .finally(() => this.opening.delete(id));
      this.opening.set(id, pending);
    }
    const ceremony = await pending;
    this.open.set(id, ceremony);
    return ceremony;
  }

  /** the host's engine options, with progress reports passed on as changes (the screen asks for the view again) */
  private async engineFor(id: string): Promise<EngineOptions> {
    return { ...(await this.options.engine()), onProgress: () => this.options.onChanged?.(id) };
  }

  private dispatch(ceremony: Ceremony, command: CeremonyCommand): Promise<CeremonyView> {
    switch (command.kind) {
      case 'checkIn':
        return ceremony.checkIn(command);
      case 'confirm':
        return ceremony.confirm(command.stepId, command.participantIds);
      case 'input':
        return ceremony.provideInput(command.stepId, command.participantId, command.values);
      case 'run':
        return ceremony.runCurrentStep(command.stepId);
      case 'acknowledgeReveal':
        return ceremony.acknowledgeReveal(command.stepId, command.participantId);
      case 'pause':
        return ceremony.pause(command.reason ?? 'Paused by the administrator');
      case 'resume':
        return ceremony.resume();
      case 'retry':
        return ceremony.retry(command.stepId, command.reason);
      case 'abort':
        return ceremony.abort(command.reason);
    }
  }
}

export function isCeremonyError(error: unknown): error is CeremonyError {
  return error instanceof CeremonyError;
}

/** Renders <dir>/journal.jsonl as <dir>/transcript.pdf, replacing an earlier print of the same journal. */
export async function writeTranscript(dir: string, paper: 'A4' | 'Letter', options: { rehearsal?: boolean; printer: PdfPrinter }) {
  const model = await transcriptModelFromJournal(join(dir, 'journal.jsonl'), { rehearsal: options.rehearsal });
  const out = join(dir, 'transcript.pdf');
  const rendered = await renderTranscriptPdf(model, { paper, out, overwrite: true, printer: options.printer });
  return { path: out, pages: rendered.pages };
}
