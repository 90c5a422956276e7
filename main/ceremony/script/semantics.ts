import type { CeremonyScript, InputRequest, Quorum } from './model';
import { expectedParticipants, ROLE_GROUPS, Role } from './participants';
import { referencesIn } from './references';
import { commitmentRuleIssues, shareFieldOf } from './commitment-rule';

export interface SemanticIssue {
  path: (string | number)[];
  message: string;
}

/** Checks what a schema cannot: references between sections, role sizes, ids used once, known actions. */
export function checkScriptSemantics(script: CeremonyScript, knownActions?: (name: string) => boolean): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });
  const seats = expectedParticipants(script.roles);
  const seatIds = new Set(seats.map((s) => s.id));
  const countOf = (role: Role) => seats.filter((s) => s.role === role).length;

  const custodians = script.roles.custodians;
  if (custodians) {
    if ((custodians.names === undefined) === (custodians.count === undefined))
      add(['roles', 'custodians'], 'give either names or count for the custodians, not both');
    if (custodians.threshold > countOf(Role.Custodian))
      add(['roles', 'custodians', 'threshold'], `threshold ${custodians.threshold} is more than the ${countOf(Role.Custodian)} custodians`);
  }
  const witnesses = script.roles.witnesses;
  if ((witnesses.names === undefined) === (witnesses.count === undefined))
    add(['roles', 'witnesses'], 'give either names or count for the witnesses, not both');

  if (script.metadata.network === 'allowed') {
    // the room acknowledges the network before anything happens: a journaled confirm by the administrator and a witness
    const first = script.steps[0];
    const quorum = first?.kind === 'confirm' ? first.quorum : undefined;
    if (!quorum || (quorum.administrator ?? 0) < 1 || (quorum.witnesses ?? 0) < 1)
      add(
        ['metadata', 'network'],
        'network: allowed needs a first step of kind confirm, with administrator: 1 and witnesses: 1 or more, acknowledging the network',
      );
  }

  const deviceIds = new Set<string>();
  script.devices.forEach((device, i) => {
    if (deviceIds.has(device.id)) add(['devices', i, 'id'], `device id "${device.id}" is used twice`);
    deviceIds.add(device.id);
    if (device.type === 'pkcs11' && (device.token.label === undefined) === (device.token.serial === undefined)) {
      add(['devices', i, 'token'], 'name the token by label or by serial (exactly one)');
    }
    if (device.type === 'yubihsm') {
      const ways = [device.connector.usbSerial, device.connector.url, device.connector.simulator].filter((v) => v !== undefined);
      if (ways.length !== 1) add(['devices', i, 'connector'], 'give exactly one of usbSerial, url or simulator');
    }
  });

  for (const [name, parameter] of Object.entries(script.parameters)) {
    const d = parameter.default;
    const path = ['parameters', name];
    if (parameter.type === 'choice' && !parameter.choices) add(path, 'a choice parameter needs choices');
    if (parameter.type === 'integer') {
      if (parameter.min === undefined || parameter.max === undefined) add(path, `integer parameter "${name}" needs both min and max`);
      else if (parameter.min > parameter.max) add([...path, 'min'], `min ${parameter.min} is more than max ${parameter.max}`);
    } else if (parameter.min !== undefined || parameter.max !== undefined) {
      add(path, 'min and max apply to integer parameters only');
    }
    if (d === undefined) continue;
    if (parameter.type === 'integer' && typeof d === 'number') {
      if (parameter.min !== undefined && d < parameter.min) add([...path, 'default'], `default ${d} is less than min ${parameter.min}`);
      if (parameter.max !== undefined && d > parameter.max) add([...path, 'default'], `default ${d} is more than max ${parameter.max}`);
    }
    const ok =
      (parameter.type === 'string' && typeof d === 'string') ||
      (parameter.type === 'integer' && Number.isSafeInteger(d)) ||
      (parameter.type === 'boolean' && typeof d === 'boolean') ||
      (parameter.type === 'choice' && typeof d === 'string' && (parameter.choices ?? []).includes(d));
    if (!ok) add([...path, 'default'], `default does not fit type ${parameter.type}`);
  }

  const checkQuorum = (quorum: Quorum | undefined, path: (string | number)[]) => {
    if (!quorum) return;
    const roleSizes: [keyof Quorum, Role][] = [
      ['administrator', Role.Administrator],
      ['custodians', Role.Custodian],
      ['witnesses', Role.Witness],
      ['auditor', Role.Auditor],
    ];
    let anything = (quorum.participants?.length ?? 0) > 0;
    for (const [key, role] of roleSizes) {
      const wanted = quorum[key] as number | undefined;
      if (!wanted) continue;
      anything = true;
      if (wanted > countOf(role)) add([...path, key], `asks for ${wanted} but the script has ${countOf(role)}`);
    }
    quorum.participants?.forEach((id, j) => {
      if (!seatIds.has(id)) add([...path, 'participants', j], `no participant "${id}" (known: ${[...seatIds].join(', ')})`);
    });
    if (!anything) add(path, 'a quorum must ask for at least one confirmation');
  };
  const checkInputs = (request: InputRequest | undefined, path: (string | number)[], shareField?: string) => {
    if (!request) return;
    for (const issue of commitmentRuleIssues(request, shareField)) add([...path, 'fields', issue.index, 'journal'], issue.message);
    if (!seatIds.has(request.from) && !(request.from in ROLE_GROUPS)) add([...path, 'from'], `no participant or role "${request.from}"`);
    const names = new Set<string>();
    request.fields.forEach((field, j) => {
      if (names.has(field.name)) add([...path, 'fields', j, 'name'], `field "${field.name}" is used twice`);
      names.add(field.name);
      if (field.journal && !field.secret)
        add([...path, 'fields', j, 'journal'], '"journal" applies to secret fields only; public fields are journaled as given');
      if (field.type === 'choice' && !field.choices) add([...path, 'fields', j], 'a choice field needs choices');
    });
  };

  const stepIndex = new Map<string, number>();
  script.steps.forEach((step, i) => {
    const path = ['steps', i];
    if (stepIndex.has(step.id)) add([...path, 'id'], `step id "${step.id}" is used twice`);
    stepIndex.set(step.id, i);
    switch (step.kind) {
      case 'announce':
      case 'show':
      case 'print':
      case 'input':
        checkQuorum(step.confirm, [...path, 'confirm']);
        break;
      case 'confirm':
        checkQuorum(step.quorum, [...path, 'quorum']);
        break;
      case 'action':
        checkQuorum(step.approve, [...path, 'approve']);
        if (step.device && !deviceIds.has(step.device)) add([...path, 'device'], `no device "${step.device}" in the devices section`);
        if (knownActions && !knownActions(step.action)) add([...path, 'action'], `no action named "${step.action}" is registered`);
        break;
      case 'reveal': {
        const source = stepIndex.get(step.secret.step);
        if (source === undefined) add([...path, 'secret', 'step'], `no earlier step "${step.secret.step}"`);
        else if (script.steps[source].kind !== 'action') add([...path, 'secret', 'step'], `step "${step.secret.step}" is not an action step`);
        if (!seatIds.has(step.to)) add([...path, 'to'], `no participant "${step.to}": a secret is shown to one named participant`);
        break;
      }
    }
    if (step.kind === 'input') checkInputs(step, path);
    if (step.kind === 'action') checkInputs(step.inputs, [...path, 'inputs'], shareFieldOf(step.action, step.params));
    if (step.kind === 'print' && knownActions && !knownActions(`print.${step.document}`))
      add([...path, 'document'], `no printer for document "${step.document}" (action print.${step.document})`);

    const referenced =
      step.kind === 'show'
        ? referencesIn(step.value)
        : step.kind === 'action' || step.kind === 'print'
          ? referencesIn(step.params ?? {})
          : referencesIn(step.text ?? '');
    for (const ref of referenced) {
      const at = step.kind === 'show' ? [...path, 'value'] : step.kind === 'action' || step.kind === 'print' ? [...path, 'params'] : [...path, 'text'];
      if (ref[0] === 'parameters') {
        if (!(ref[1] in script.parameters)) add(at, `no parameter "${ref[1]}"`);
      } else if (ref[0] === 'steps') {
        const target = stepIndex.get(ref[1] ?? '');
        if (target === undefined || target >= i) add(at, `"${ref.join('.')}" does not name an earlier step`);
        else if (ref[2] !== 'result' && ref[2] !== 'inputs') add(at, `"${ref.join('.')}": use steps.<id>.result… or steps.<id>.inputs…`);
      } else if (!(ref[0] === 'ceremony' && (ref[1] === 'id' || ref[1] === 'rehearsal' || ref[1] === 'title'))) {
        add(at, `unknown reference "${ref.join('.')}"`);
      }
    }
  });
  return issues;
}
