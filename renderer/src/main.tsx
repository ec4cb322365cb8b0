// Entry point of the sandboxed renderer: connects to main, then renders the desk.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectBridge } from './bridge/index.ts';
import { BridgeContext } from './bridge/hooks.ts';
import './i18n/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <BridgeContext value={connectBridge()}>
      <App />
    </BridgeContext>
  </StrictMode>,
);
