import type { PaperSize, TranscriptModel } from './model';
import { formatDate } from './format';
import { RehearsalWatermark } from './RehearsalWatermark';
import { TranscriptHeader } from './TranscriptHeader';
import { DevicesSection, ParticipantsSection } from './TranscriptPeople';
import { ExceptionsSection, StepResultsAppendix, StepsSection } from './TranscriptSteps';
import { SummarySection } from './TranscriptSummary';
import { FingerprintsSection, PemSection, SharesSection } from './TranscriptEvidence';
import { ChainHeadSection, SignaturesSection } from './TranscriptClosing';

export interface TranscriptDocumentProps {
  model: TranscriptModel;
  /** selects the named @page in print.css; the PDF printer sets the size itself too */
  paper?: PaperSize;
}

/**
 * The printed ceremony transcript. The same component draws the on-screen preview in the renderer and, through
 * react-dom/server in main, the HTML that Chromium prints to PDF — so what the room reviews is what gets signed.
 * The page footer (ceremony id, page n of m) comes from the printer's footer template, not from here.
 */
export function TranscriptDocument({ model, paper = 'A4' }: TranscriptDocumentProps) {
  return (
    <div className={`print-document transcript ${paperClass(paper)}${model.rehearsal ? ' is-rehearsal' : ''}`}>
      {model.rehearsal && <RehearsalWatermark />}
      <TranscriptHeader model={model} />
      <SummarySection model={model} />
      <StepsSection steps={model.steps} date={formatDate(model.journal.firstTime)} />
      <ExceptionsSection exceptions={model.exceptions} />
      <ChainHeadSection model={model} />
      <SignaturesSection model={model} />
      <div className="print-appendix">
        <p className="print-kicker">Appendix — the full record</p>
        <ParticipantsSection participants={model.participants} />
        <DevicesSection devices={model.devices} />
        <StepResultsAppendix steps={model.steps} />
        <FingerprintsSection fingerprints={model.fingerprints} />
        <SharesSection shareSets={model.shareSets} checkValues={model.checkValues} />
        <PemSection pems={model.pems} />
      </div>
    </div>
  );
}

export function paperClass(paper: PaperSize): string {
  return paper === 'Letter' ? 'paper-letter' : 'paper-a4';
}
