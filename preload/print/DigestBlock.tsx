import type { DigestText } from './model';
import { numberedRows } from './format';

/** A digest as grouped hex (two lines of eight groups) and as 24 numbered words, for reading aloud. */
export function DigestBlock({ digest, wordsPerRow = 6 }: { digest: DigestText; wordsPerRow?: number }) {
  return (
    <div className="digest">
      <pre className="digest-hex">{digest.grouped}</pre>
      <DigestWords words={digest.words} wordsPerRow={wordsPerRow} />
    </div>
  );
}

/**
 * The 24 words of a digest, numbered "1." to "24." in rows: the one numbering used on paper and on screen, so "word 13"
 * means the same word to everyone. Nothing when the digest has no words.
 */
export function DigestWords({ words, wordsPerRow = 6, testId }: { words: string[]; wordsPerRow?: number; testId?: string }) {
  if (words.length === 0) return null;
  return (
    <table className="digest-words" data-testid={testId}>
      <tbody>
        {numberedRows(words, wordsPerRow).map((row) => (
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
  );
}
