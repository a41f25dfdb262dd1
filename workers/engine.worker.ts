import { expose, transfer } from 'comlink';
import { createBrowserEngine } from '../src/engine/browser';
import { createEngineService } from '../src/service/engine-service';

expose(createEngineService(createBrowserEngine, transfer));
