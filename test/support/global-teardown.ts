/** Stops containers started by globalSetup (nothing to do for services that were already running). */
export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __ferryServices?: { stop: () => Promise<void> } })
    .__ferryServices;
  await services?.stop();
}
