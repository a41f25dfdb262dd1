import { expose } from 'comlink';
import { createCrawlerWorkerApi } from '../src/crawler/worker-api';

expose(createCrawlerWorkerApi());
