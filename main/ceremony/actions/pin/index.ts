import type { ActionRegistry } from '../registry';
import { shareSetActions } from './share-set-actions';
import { soPinActions } from './so-pin-actions';
import { tokenInitActions } from './token-init-actions';
import { userPinActions } from './user-pin-actions';

/**
 * Token initialisation and PIN ceremonies: the SO-PIN is generated inside the token's limits and held only in the
 * vault, split among custodians by the share actions, rebuilt for the minutes a reset takes, and zeroed.
 */
export { PinCeremonyError, PinCeremonyErrorCode } from '../../../errors';
export { checkNewPin, type PinLimits } from './pin-rules';
export {
  generateSoPin,
  soPinLength,
  entropyBits,
  minimumSoPinLength,
  alphabetSize,
  parseAlphabet,
  SoPinAlphabet,
  DEFAULT_SO_PIN_ALPHABET,
  MAX_SO_PIN_LENGTH,
} from './so-pin-generator';
export { SoPinVaultKey } from './so-pin-vault';
export { parseCheckValue } from './share-set-actions';

export function registerPinActions(registry: ActionRegistry): void {
  for (const [name, definition] of Object.entries({ ...tokenInitActions, ...userPinActions, ...soPinActions, ...shareSetActions }))
    registry.register(name, definition);
}
