import { useEffect } from 'react';
import { useAppStore } from './store';
import { CeremoniesScreen, CeremonyScreen, HomeScreen } from './screens';
import { ResumeBanner } from './components';

export function App() {
  const info = useAppStore((s) => s.info);
  const error = useAppStore((s) => s.error);
  const screen = useAppStore((s) => s.screen);
  const go = useAppStore((s) => s.go);
  const start = useAppStore((s) => s.start);
  const clearError = useAppStore((s) => s.clearError);
  useEffect(() => {
    void start();
  }, [start]);
  const rehearsal = info?.rehearsal.active;
  return (
    <div className={rehearsal ? 'app rehearsal' : 'app'}>
      {/* the banner is part of the page's header landmark, so no content sits outside a landmark */}
      <header>
        {rehearsal && (
          <div className="rehearsal-banner" data-testid="rehearsal-banner">
            REHEARSAL — SoftHSM2 and the YubiHSM simulator. Nothing made here protects a real key.
          </div>
        )}
        <div className="header-row">
          <h1>Custodian</h1>
          <nav>
            <button aria-current={screen.name === 'home'} onClick={() => go({ name: 'home' })}>
              Devices
            </button>
            <button aria-current={screen.name !== 'home'} onClick={() => go({ name: 'ceremonies' })}>
              Ceremonies
            </button>
          </nav>
          {info && (
            <p className="host-note small" data-testid="host-note">
              {info.hostNote} · v{info.version}
            </p>
          )}
        </div>
        {error && (
          <div className="banner banner-bad" role="alert">
            {error.message} <button onClick={clearError}>Dismiss</button>
          </div>
        )}
      </header>
      {screen.name !== 'ceremony' && <ResumeBanner />}
      <div id="main-content">
        {screen.name === 'home' && <HomeScreen />}
        {screen.name === 'ceremonies' && <CeremoniesScreen />}
        {screen.name === 'ceremony' && <CeremonyScreen id={screen.id} />}
      </div>
    </div>
  );
}
