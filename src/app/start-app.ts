import { mount } from 'svelte';
import App from './App.svelte';

/** Mount the app in `target`, replacing index.html's static shell (what the first paint showed). */
export function startApp(target: HTMLElement): void {
  target.replaceChildren();
  mount(App, { target });
  performance.mark('epoxy:app-mounted');
}
