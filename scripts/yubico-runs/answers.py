#!/usr/bin/env python3
"""answers.py IN OUT [OLD=NEW ...]: a template's rehearsal answers example made fit for a real run — rehearsal off,
every secret value removed (they are typed on the terminal), placeholder text replaced as given."""
import sys, yaml

SECRET = {'pin', 'soPin', 'userPin', 'oldPin', 'newPin', 'newPinAgain', 'share', 'password', 'newPassword'}
text = open(sys.argv[1]).read()
for pair in sys.argv[3:]:
    old, _, new = pair.partition('=')
    text = text.replace(old, new)
answers = yaml.safe_load(text)
answers['rehearsal'] = False
for step in (answers.get('steps') or {}).values():
    values = ((step or {}).get('input') or {}).get('values')
    if isinstance(values, dict):
        for k in list(values):
            if k in SECRET:
                del values[k]
yaml.safe_dump(answers, open(sys.argv[2], 'w'), sort_keys=False)
