import type { TestProject } from "vitest/node";
import { hasSharedFixtures, startFakeApis } from "./fake-apis";

/** Starts the fake Telegram / email APIs for the workers suite and hands their root to the config. */
export default async function setup(project: TestProject) {
  const fake = await startFakeApis();
  project.provide("fakeApiUrl", fake.url);
  project.provide("sharedFixtures", hasSharedFixtures());
  return () => fake.close();
}
