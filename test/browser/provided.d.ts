import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by test/browser/global-setup.ts */
    browserEnv: {
      workerUrl: string;
      hostUrl: string;
      apiKey: string;
      formKey: string;
      fakeApiUrl: string;
      libsqlUrl: string;
      reps: { id: string; name: string }[];
    };
  }
}
