import { provideServices } from './services';

/** Jest globalSetup of the integration tier: find (or start) NATS and PostgreSQL once per run. */
export default async function globalSetup(): Promise<void> {
  const services = await provideServices();
  process.env.NATS_URL = services.natsUrl;
  process.env.DATABASE_URL = services.databaseUrl;
  (globalThis as { __ferryServices?: typeof services }).__ferryServices = services;
}
