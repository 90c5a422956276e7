import type { DigestText } from './model';
import { numberedRows } from './format';

/** A digest as grouped hex (two lines of eight groups) and as 24 numbered words, for reading aloud. */
export function DigestBlock({ digest, wordsPerRow = 6 }: { digest: DigestText; wordsPerRow?: number }) {
  return (
    <div className="digest">
      <pre className="digest-hex">{digest.grouped}</pre>
      {digest.words.length > 0 && (
        <table className="digest-words">
          <tbody>
            {numberedRows(digest.words, wordsPerRow).map((row) => (
              <tr key={row[0].n}>
                {row.map(({ n, word }) => (
                  <td key={n}>
                    <span className="word-no">{n}.</span> {word}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
