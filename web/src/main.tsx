import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import './styles/forms.css';
import './styles/content.css';
import './styles/tables.css';
import './styles/widgets.css';
import './styles/records.css';
import './styles/print.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
