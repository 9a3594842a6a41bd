import { createDemoApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const app = createDemoApp();
app.server.listen(port, '127.0.0.1', () => {
  console.log(`Parapet demo on http://127.0.0.1:${port}`);
  console.log(`  try:     curl http://127.0.0.1:${port}/users/42   and   curl http://127.0.0.1:${port}/wp-admin/setup.php`);
  console.log(`  metrics: curl http://127.0.0.1:${port}/metrics | grep parapet_`);
});
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
