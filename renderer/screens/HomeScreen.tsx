import { useEffect, useState } from 'react';
import { useAppStore } from '../store';
import { Flag, TokenCard } from '../components';

function hex4(n: number) {
  return n.toString(16).padStart(4, '0');
}

function HostBanner() {
  const hostState = useAppStore((s) => s.hostState);
  if (!hostState || hostState.status === 'ready') return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="host-banner">
      Device host {hostState.status === 'restarting' ? 'is reconnecting…' : hostState.status}
      {hostState.lastProblem ? ` — ${hostState.lastProblem}` : ''}
    </div>
  );
}

function RehearsalPins() {
  const info = useAppStore((s) => s.info);
  const acknowledge = useAppStore((s) => s.acknowledgePins);
  // Seen only when a person says so: main records it on the button below, not when a screen (perhaps a headless
  // one nobody looks at) merely rendered them; until then a reload shows them again.
  const [pins, setPins] = useState(info?.rehearsal.pins ?? null);
  const [tokenLabel] = useState(info?.rehearsal.tokenLabel ?? '');
  const arrived = info?.rehearsal.pins;
  useEffect(() => {
    if (arrived) setPins(arrived);
  }, [arrived]);
  if (!pins) return null;
  return (
    <section className="panel rehearsal-pins" data-testid="rehearsal-pins">
      <h2>Rehearsal token PINs</h2>
      <p>
        These are <strong>rehearsal values</strong> for the SoftHSM2 token “{tokenLabel || info?.rehearsal.tokenLabel}”. Note them for the rehearsal; once you
        say so they are not shown again. Never use them on a real HSM.
      </p>
      <dl>
        <dt>SO-PIN</dt>
        <dd className="mono">{pins.so}</dd>
        <dt>User PIN</dt>
        <dd className="mono">{pins.user}</dd>
      </dl>
      <button
        onClick={() => {
          setPins(null);
          void acknowledge();
        }}
      >
        I have noted them — hide them
      </button>
    </section>
  );
}

function ModulesPanel() {
  const snapshot = useAppStore((s) => s.snapshot);
  const addModule = useAppStore((s) => s.addModule);
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section className="panel" data-testid="modules-panel">
      <h3>PKCS#11 modules and tokens</h3>
      {!snapshot && <p>Reading devices…</p>}
      {snapshot?.modules.length === 0 && <p>No PKCS#11 module configured.</p>}
      {snapshot?.modules.map((m) => (
        <div key={m.path} className="module" data-testid="module" data-ok={m.ok}>
          <h4>
            {m.name} {m.rehearsal && <Flag label="Rehearsal store" tone="warn" />}
          </h4>
          <p className="mono small">{m.path}</p>
          {m.library && (
            <p className="small">
              {m.library.manufacturer} — {m.library.description} {m.library.version} (Cryptoki {m.library.cryptokiVersion})
            </p>
          )}
          {m.error && (
            <p className="error" role="alert" data-testid="module-error">
              {m.error.message}
            </p>
          )}
          {m.ok && m.tokens.length === 0 && <p>No token present in any slot.</p>}
          <div className="tokens">
            {m.tokens
              .filter((t) => !(m.rehearsal && !t.initialized))
              .map((t) => (
                <TokenCard key={`${t.serial}-${t.label}`} token={t} />
              ))}
          </div>
          {m.rehearsal && m.tokens.some((t) => !t.initialized) && (
            <p className="small" data-testid="free-slot">
              Free slot of the rehearsal store (Custodian makes a rehearsal token here when asked)
            </p>
          )}
        </div>
      ))}
      <form
        className="add-module"
        onSubmit={(e) => {
          e.preventDefault();
          void addModule(path.trim()).then((err) => setProblem(err ? err.message : null));
        }}
      >
        <label>
          Add the vendor’s PKCS#11 library
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/usr/lib/vendor/libpkcs11.so" />
        </label>
        <button type="submit" disabled={!path.trim()}>
          Add module
        </button>
        {problem && <p className="error">{problem}</p>}
      </form>
    </section>
  );
}

function ConnectorForm() {
  const addConnector = useAppStore((s) => s.addConnector);
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="add-module"
      onSubmit={(e) => {
        e.preventDefault();
        void addConnector(url.trim()).then((err) => setProblem(err ? err.message : null));
      }}
    >
      <label>
        Add a yubihsm-connector on this computer
        <input name="connector" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:12345" />
      </label>
      <button type="submit" disabled={!url.trim()}>
        Add connector
      </button>
      {problem && <p className="error">{problem}</p>}
    </form>
  );
}

function UsbPanel() {
  const usb = useAppStore((s) => s.snapshot?.usb);
  const yubihsm = useAppStore((s) => s.snapshot?.yubihsm);
  return (
    <section className="panel" data-testid="usb-panel">
      <h3>USB devices</h3>
      {usb && !usb.available && (
        <p data-testid="usb-unavailable">
          <Flag label="USB unavailable" tone="neutral" /> {usb.reason}
        </p>
      )}
      {usb?.available && usb.devices.length === 0 && <p>No known HSM or security key connected.</p>}
      <ul>
        {usb?.devices.map((d, i) => (
          <li key={i}>
            <strong>{d.name}</strong> ({hex4(d.vendorId)}:{hex4(d.productId)}){d.serial ? `, serial ${d.serial}` : ''} — needs {d.needs}
          </li>
        ))}
      </ul>
      <h3>YubiHSM 2</h3>
      {yubihsm?.length === 0 && <p>No YubiHSM 2 configured.</p>}
      <ul data-testid="yubihsm-list">
        {yubihsm?.map((y) => (
          <li key={y.source}>
            <strong>{y.transport === 'simulator' ? 'YubiHSM 2 simulator' : y.source}</strong>{' '}
            <span data-testid="yubihsm-mode">{y.rehearsal ? <Flag label="REHEARSAL" tone="warn" /> : <Flag label="REAL" tone="neutral" />}</span>{' '}
            {y.ok ? (
              <>
                serial {y.serial}, firmware {y.firmware}, audit log {y.logUsed} of {y.logTotal} entries used
              </>
            ) : (
              <span className="error">{y.error}</span>
            )}
          </li>
        ))}
      </ul>
      <ConnectorForm />
    </section>
  );
}

function AirGapPanel() {
  const network = useAppStore((s) => s.snapshot?.network);
  if (!network) return null;
  return (
    <section className="panel" data-testid="airgap-panel">
      <h3>Air gap</h3>
      {network.airGapped ? (
        <p>
          <Flag label="Air-gapped" tone="ok" /> No network interface other than loopback is up.
        </p>
      ) : (
        <>
          <p>
            <Flag label="Network interfaces up" tone="bad" /> A ceremony workstation should have no network. These interfaces are up:
          </p>
          <ul data-testid="interfaces-up">
            {network.interfacesUp.map((i) => (
              <li key={i.name}>
                <span className="mono">{i.name}</span>: {i.addresses.join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function HomeScreen() {
  const refresh = useAppStore((s) => s.refresh);
  const refreshing = useAppStore((s) => s.refreshing);
  return (
    <main className="home" data-testid="home">
      <HostBanner />
      <RehearsalPins />
      <div className="toolbar">
        <h2>Devices</h2>
        <button onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ModulesPanel />
      <UsbPanel />
      <AirGapPanel />
    </main>
  );
}
