import type { TokenStatus } from '../../preload/api';
import { Flag } from './Flag';

function pinFlags(who: 'User' | 'SO', flags: TokenStatus['userPin']) {
  if (flags.locked) return <Flag label={`${who} PIN locked`} tone="bad" />;
  if (flags.finalTry) return <Flag label={`${who} PIN: final try`} tone="bad" />;
  if (flags.countLow) return <Flag label={`${who} PIN: wrong tries recorded`} tone="warn" />;
  return <Flag label={`${who} PIN ok`} tone="ok" />;
}

export function TokenCard({ token }: { token: TokenStatus }) {
  return (
    <article className="token" data-testid="token" data-label={token.label}>
      <h4>
        {token.label || '(no label)'}{' '}
        <span data-testid="token-mode">{token.rehearsal ? <Flag label="REHEARSAL" tone="warn" /> : <Flag label="REAL" tone="neutral" />}</span>
      </h4>
      <dl>
        <dt>Manufacturer</dt>
        <dd>{token.manufacturer}</dd>
        <dt>Model</dt>
        <dd>{token.model}</dd>
        <dt>Serial</dt>
        <dd data-testid="token-serial">{token.serial}</dd>
        <dt>PIN length</dt>
        <dd>
          {token.pinLength.min}–{token.pinLength.max}
        </dd>
      </dl>
      <div className="flags" data-testid="token-flags">
        <Flag label={token.initialized ? 'Initialised' : 'Not initialised'} tone={token.initialized ? 'ok' : 'warn'} />
        <Flag label={token.loginRequired ? 'Login required' : 'No login'} tone="neutral" />
        {token.initialized && pinFlags('User', token.userPin)}
        {token.initialized && pinFlags('SO', token.soPin)}
        {token.userPin.toBeChanged && <Flag label="User PIN must be changed" tone="warn" />}
        {token.soPin.toBeChanged && <Flag label="SO PIN must be changed" tone="warn" />}
      </div>
    </article>
  );
}
