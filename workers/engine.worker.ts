import { expose, transfer } from 'comlink';
import { startBrowserEngine } from '../src/service/browser-engine';
import { createEngineService } from '../src/service/engine-service';

expose(createEngineService(startBrowserEngine, transfer));
