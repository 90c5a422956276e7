import type { PaperSize, ShareCardView } from './model';
import { chunk } from './format';
import { qrDataUri } from './qr';
import { RehearsalNotice, RehearsalWatermark } from './RehearsalWatermark';
import { paperClass } from './TranscriptDocument';

export interface ShareCardDocumentProps {
  cards: ShareCardView[];
  rehearsal: boolean;
  paper?: PaperSize;
}

const GROUPS_PER_ROW = 5;

function ShareCard({ card, rehearsal }: { card: ShareCardView; rehearsal: boolean }) {
  const rows = chunk(
    card.groups.map((text, i) => ({ n: i + 1, text })),
    GROUPS_PER_ROW,
  );
  return (
    <article className="share-card" data-share-index={card.index}>
      <p className="print-kicker">Secret share card — custodian {card.custodianName} only</p>
      <h1>
        Share {card.index} of {card.n}, any {card.m} restore
      </h1>
      {rehearsal && <RehearsalNotice what="share card" />}
      <dl className="print-facts">
        <dt>Ceremony</dt>
        <dd className="mono">{card.ceremonyId}</dd>
        <dt>Share set</dt>
        <dd className="mono">{card.setId}</dd>
        <dt>Date</dt>
        <dd>{card.date}</dd>
        <dt>Check value</dt>
        <dd className="mono">{card.checkValueText}</dd>
      </dl>
      <div className="share-body">
        <div className="share-text">
          <p className="share-prefix mono">cshare1</p>
          <table className="share-groups">
            <tbody>
              {rows.map((row) => (
                <tr key={row[0].n}>
                  {row.map((g) => (
                    <td key={g.n}>
                      <span className="group-no">{g.n}</span>
                      <span className="group-text">{g.text}</span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <img className="share-qr" src={qrDataUri(card.qrPayload)} alt={`QR code of share ${card.index}`} />
      </div>
      <p className="small">
        Type the groups back exactly as printed (case and spaces do not matter); the numbers in front of each group are not part of the share. The last
        characters are a checksum: a single wrong character is detected and its group named. Keep this card sealed and away from the other custodians' cards.
      </p>
      <div className="signature-block share-signature">
        <div className="signature-line" />
        <div>
          <strong>{card.custodianName}</strong> — custodian of share {card.index}
        </div>
        <div className="signature-date">Received on: ____________________</div>
      </div>
    </article>
  );
}

/** One page per custodian. Each card is a secret: render it only where that custodian alone can see it. */
export function ShareCardDocument({ cards, rehearsal, paper = 'A4' }: ShareCardDocumentProps) {
  return (
    <div className={`print-document share-cards ${paperClass(paper)}${rehearsal ? ' is-rehearsal' : ''}`}>
      {rehearsal && <RehearsalWatermark />}
      {cards.map((card) => (
        <ShareCard key={`${card.setId}-${card.index}`} card={card} rehearsal={rehearsal} />
      ))}
    </div>
  );
}
