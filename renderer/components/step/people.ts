import type { CeremonyView } from '../../../preload/api';

/** The people of a ceremony by seat id: the name each checked in with, and a role noun for the rest. */
export interface People {
  name(id: string): string;
  /** "Wendy Okafor (witness)" — the role only as a reminder, after the name */
  nameWithRole(id: string): string;
  /** a sentence from main with seat ids ("witness-1") put in people's names */
  inWords(text: string): string;
}

const ROLE_WORD: Record<string, string> = { administrator: 'administrator', custodian: 'custodian', witness: 'witness', auditor: 'auditor' };

export function peopleOf(view: CeremonyView): People {
  const byId = new Map(view.participants.map((p) => [p.id, p]));
  const name = (id: string) => byId.get(id)?.name ?? byId.get(id)?.expectedName ?? id;
  const ids = [...byId.keys()].sort((a, b) => b.length - a.length);
  return {
    name,
    nameWithRole: (id) => {
      const p = byId.get(id);
      return p?.name ? `${p.name} (${ROLE_WORD[p.role] ?? p.role})` : id;
    },
    // "the witness-1" and "The administrator" become the person's name (a seat id is also a role word for one seat)
    inWords: (text) =>
      ids.reduce((out, id) => (byId.get(id)?.name ? out.replace(new RegExp(`(?:\\b[Tt]he )?\\b${id}\\b(?!-)`, 'g'), byId.get(id)!.name!) : out), text),
  };
}
