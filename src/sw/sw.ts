/// <reference lib="webworker" />
// Service worker entry: thin on purpose. It wires the modules below; the scheduler adds its message
// handlers (trigger timing, dispatch) to `messageHandlers` in ./messages.ts rather than growing this file.
import { clientsClaim } from 'workbox-core';
import { installMessageRouter, messageHandlers } from './messages';
import { installOfflineShell } from './precache';
import { installPeriodicDispatch } from './scheduler';

declare const self: ServiceWorkerGlobalScope;

installOfflineShell(self.__WB_MANIFEST);
installMessageRouter(self, messageHandlers(self));
installPeriodicDispatch(self);
// Take control of pages opened before the first install so they work offline at once. Updates still
// wait (no skipWaiting here): a new version activates only when the user accepts it.
clientsClaim();
