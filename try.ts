import { loadContract } from './src/contract';
import { runContract } from './src/run/run';
(async () => {
  const c = await loadContract('specs/apigw-express/openapi.yaml');
  const h = require('./specs/apigw-express/handler');
  console.log(Object.keys(h));
})();
