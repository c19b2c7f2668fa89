import fastify from 'fastify';

/**
 * The baseline: a plain Fastify 5 server answering `{"hello":"world"}`, no logger, no plugins,
 * in a process of its own like the MedVault server it is compared with. Tells its parent the URL.
 */
const app = fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ url });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
