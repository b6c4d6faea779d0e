import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the libSQL server started by test/support/global-setup.ts */
    libsqlUrl: string;
  }
}
