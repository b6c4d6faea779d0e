import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by test/support/browser/global-setup.ts */
    browserEnv: {
      workerUrl: string;
      hostUrl: string;
      apiKey: string;
      libsqlUrl: string;
      formKey: string;
      fakeApiUrl: string;
      libsqlUrl: string;
      reps: { id: string; name: string }[];
    };
  }
}
