import { expose, transfer } from 'comlink';
import { buildFromWorkerName } from '../src/engine/builds';
import { startBrowserEngine } from '../src/service/browser-engine';
import { createEngineService } from '../src/service/engine-service';

expose(createEngineService(() => startBrowserEngine({ build: buildFromWorkerName(self.name) }), transfer));
