import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the libSQL server started by test/support/global-setup.ts */
    libsqlUrl: string;
    /** The same server behind test/support/fault-proxy.ts, and the URL that switches it up/down. */
    faultyLibsqlUrl: string;
    faultControlUrl: string;
    /** Root of the fake Telegram Bot API / email API started by test/support/fake-apis-setup.ts */
    fakeApiUrl: string;
    /** Whether ../shared/fixtures (third-party payloads, outside the repository) is beside this clone. */
    sharedFixtures: boolean;
  }
}
