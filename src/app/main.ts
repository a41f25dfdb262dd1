import { tabEngine } from './engine-client';
import './global.css';

// The engine worker first, then the app's code: a start is mostly DuckDB's download and compile, which
// then overlap loading and mounting the UI. Until the app mounts, index.html's static shell is what shows.
performance.mark('epoxy:app-script');
tabEngine();
// Let the shell paint before the app's code is evaluated (a long task that would otherwise hold the first
// paint back): requestAnimationFrame runs just before the next paint, the timeout just after it.
await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
const { startApp } = await import('./start-app');
startApp(document.getElementById('app')!);
